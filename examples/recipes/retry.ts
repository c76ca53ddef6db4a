/**
 * Recipe: retry composed with a circuit breaker (cockatiel's `wrap`), and why the order matters.
 * `wrap(retry, breaker)`: every attempt goes through the breaker, so the breaker counts each one,
 * opens mid-call, and the retry stops at the first rejection. `wrap(breaker, retry)`: the breaker
 * sees one failure per call, after all its attempts, so the failing server gets far more requests.
 *
 *   npm run example:retry
 */
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ConstantBackoff,
  handleAll,
  handleWhen,
  retry,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { recipeTakesNoOptions, ServerSwitch } from '../../src/server/index.ts';

const STATES = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

const CALLS = 5;

recipeTakesNoOptions('retry');

/** GET the greeting; a refused connection, a timeout or a non-2xx answer is a failure. */
async function fetchGreeting(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body}`);
  return body;
}

/** A fresh pair for each composition: 3 retries 10 ms apart, a breaker of 3 consecutive failures. */
function policies() {
  // A rejection by the open circuit is not worth retrying: it would be rejected again at once.
  const retryPolicy = retry(
    handleWhen((error) => !(error instanceof BrokenCircuitError)),
    { maxAttempts: 3, backoff: new ConstantBackoff(10) },
  );
  const breaker = circuitBreaker(handleAll, {
    halfOpenAfter: 10_000,
    breaker: new ConsecutiveBreaker(3),
  });
  let attempts = 0; // cockatiel reports each attempt the retry makes as a success or a failure
  retryPolicy.onSuccess(() => (attempts += 1));
  retryPolicy.onFailure(() => (attempts += 1));
  return { retryPolicy, breaker, attempts: () => attempts };
}

const outside = policies();
const inside = policies();
const compositions: [string, IPolicy, ReturnType<typeof policies>][] = [
  ['wrap(retry, breaker)', wrap(outside.retryPolicy, outside.breaker), outside],
  ['wrap(breaker, retry)', wrap(inside.breaker, inside.retryPolicy), inside],
];

await using server = await ServerSwitch.create();
await server.turnOn({ kind: 'error', status: 503 });
for (const [name, policy, parts] of compositions) {
  console.log(`${name}, the server answers 503:`);
  const firstRequest = server.requests.total;
  for (let call = 1; call <= CALLS; call += 1) {
    const [seen, retried] = [server.requests.total, parts.attempts()];
    const outcome = await policy
      .execute(() => fetchGreeting(server.url))
      .then(
        () => 'success',
        (error: Error) =>
          error instanceof BrokenCircuitError ? 'rejected: circuit open' : 'HTTP 503',
      );
    const circuit = STATES[parts.breaker.state];
    console.log(
      `  call ${call}  attempts ${parts.attempts() - retried}  reached server ${server.requests.total - seen}  ${outcome.padEnd(22)}  circuit ${circuit}`,
    );
  }
  console.log(
    `  requests that reached the failing server: ${server.requests.total - firstRequest}`,
  );
}
