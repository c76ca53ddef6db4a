/**
 * Recipe: the fleet's shared circuit (the shared-circuit package) inside cockatiel's `wrap()`, with
 * a retry outside it. Every attempt goes through the shared circuit, so the fleet counts each one;
 * once it opens, the retry stops at the first rejection instead of sending more attempts.
 * Needs a Redis: REDIS_URL, default redis://127.0.0.1:6379.
 *
 *   npm run example:shared-circuit-in-wrap
 */
import { randomUUID } from 'node:crypto';
import { ConstantBackoff, handleWhen, retry, wrap } from 'cockatiel';
import { isCircuitOpenError, SharedCircuit } from 'shared-circuit';
import { recipeTakesNoOptions, ServerSwitch } from '../../src/server/index.ts';

recipeTakesNoOptions('shared-circuit-in-wrap', 'reads REDIS_URL');

const RESET_TIMEOUT_MS = 1000;

/** GET the greeting with the signal cockatiel hands down; a non-2xx answer is a failure. */
async function fetchGreeting(url: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(1000)]),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return body;
}

// Every process that uses this name and namespace shares the circuit (a fresh namespace per run).
await using circuit = new SharedCircuit({
  name: 'greeting',
  namespace: `recipe-${randomUUID().slice(0, 8)}`,
  failures: 3,
  resetTimeoutMs: RESET_TIMEOUT_MS,
});
if ((await circuit.ready()) !== 'shared') {
  console.error('error: no Redis answers at REDIS_URL; start one (redis-server) or set REDIS_URL');
  process.exit(1);
}
// A rejection by the open circuit is not worth retrying: it would be rejected again at once.
const retryPolicy = retry(
  handleWhen((error) => !isCircuitOpenError(error)),
  { maxAttempts: 2, backoff: new ConstantBackoff(10) },
);
const policy = wrap(retryPolicy, circuit);

await using server = await ServerSwitch.create();
const call = async (label: string) => {
  const seen = server.requests.total;
  const outcome = await policy
    .execute(({ signal }) => fetchGreeting(server.url, signal))
    .then(
      () => 'success',
      (error: unknown) => (isCircuitOpenError(error) ? `rejected (${error.level})` : 'HTTP 503'),
    );
  const reached = server.requests.total - seen;
  console.log(
    `${label}  reached server ${reached}  ${outcome.padEnd(16)}  circuit ${circuit.state}`,
  );
};

await server.turnOn({ kind: 'error', status: 503 });
console.log(
  'the server answers 503; a retry (up to 2 more attempts) outside the shared circuit (3 failures):',
);
for (let n = 1; n <= 3; n += 1) await call(`  call ${n}`);
await server.turnOn();
await new Promise((resolve) => setTimeout(resolve, RESET_TIMEOUT_MS + 100));
console.log(
  `the server is back; after the reset timeout (${RESET_TIMEOUT_MS} ms) the trial closes it:`,
);
await call('  call 4');
await call('  call 5');

/* Output (a real run):

the server answers 503; a retry (up to 2 more attempts) outside the shared circuit (3 failures):
  call 1  reached server 3  HTTP 503          circuit open
  call 2  reached server 0  rejected (fleet)  circuit open
  call 3  reached server 0  rejected (fleet)  circuit open
the server is back; after the reset timeout (1000 ms) the trial closes it:
  call 4  reached server 1  success           circuit closed
  call 5  reached server 1  success           circuit closed
*/
