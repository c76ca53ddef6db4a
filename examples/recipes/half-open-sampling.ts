/**
 * Recipe: several trial calls before a half-open circuit closes, with cockatiel 4's
 * `halfOpenSampling: { calls, threshold }`. The circuit stays half-open for `calls` trials, re-opens
 * on the failure that makes more than `threshold` (a share, 0 to below 1) of them fail, and closes
 * once all came back within it. One lucky trial no longer closes it on a half-broken server.
 *
 *   npm run example:half-open-sampling
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleAll,
  type IHalfOpenSamplingOptions,
} from 'cockatiel';
import { recipeTakesNoOptions, type ServerMode, ServerSwitch } from '../../src/server/index.ts';

const HALF_OPEN_AFTER = 300; // ms the circuit stays open
const MAX_TRIALS = 10; // a bound on each half-open state, should the circuit never decide

const STATES = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

recipeTakesNoOptions('half-open-sampling');

/** GET the greeting; a refused connection, a timeout or a non-2xx answer is a failure. */
async function fetchGreeting(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body}`);
  return body;
}

const samplings: (IHalfOpenSamplingOptions | undefined)[] = [
  { calls: 5, threshold: 0.2 }, // 1 of 5 trials may fail: the second failure re-opens it
  { calls: 4, threshold: 0.5 }, // 2 of 4 may fail
  undefined, // cockatiel's default: one trial, no failure allowed
];

await using server = await ServerSwitch.create();
for (const halfOpenSampling of samplings) {
  const policy = circuitBreaker(handleAll, {
    halfOpenAfter: HALF_OPEN_AFTER,
    breaker: new ConsecutiveBreaker(3),
    ...(halfOpenSampling ? { halfOpenSampling } : {}),
  });
  const call = async () => {
    const seen = server.requests.total;
    const outcome = await policy
      .execute(() => fetchGreeting(server.url))
      .then(
        () => 'success',
        (error: unknown) => (error instanceof BrokenCircuitError ? 'rejected' : 'failure'),
      );
    return { outcome, reached: server.requests.total > seen, state: STATES[policy.state] };
  };
  /** Waits out the open circuit, then calls until the half-open state is decided. */
  const trials = async (mode: ServerMode, what: string) => {
    await sleep(HALF_OPEN_AFTER + 50);
    await server.turnOn(mode); // fail-every counts each client's requests from here
    console.log(`  ${HALF_OPEN_AFTER + 50} ms later, ${what}:`);
    let failed = 0;
    for (let trial = 1; trial <= MAX_TRIALS; trial += 1) {
      const { outcome, reached, state } = await call();
      if (outcome === 'failure') failed += 1;
      console.log(
        `    trial ${trial}  ${outcome.padEnd(7)}  reached server ${reached ? 'yes' : 'no '}  -> ${state.padEnd(9)}  (${failed} failed)`,
      );
      if (state !== 'half-open') return state;
    }
    return STATES[policy.state];
  };

  console.log(
    halfOpenSampling
      ? `halfOpenSampling { calls: ${halfOpenSampling.calls}, threshold: ${halfOpenSampling.threshold} }: ` +
          // cockatiel re-opens once failures > calls x threshold
          `${Math.floor(halfOpenSampling.calls * halfOpenSampling.threshold)} of ${halfOpenSampling.calls} trials may fail`
      : 'no halfOpenSampling (one trial)',
  );
  await server.turnOn({ kind: 'error', status: 503 });
  while (policy.state !== CircuitState.Open) await call();
  console.log('  the server answers 503: 3 failures open the circuit');
  const halfBroken = await trials(
    { kind: 'fail-every', n: 2 },
    'the server fails every other request',
  );
  if (halfBroken === 'open') {
    const { outcome, reached } = await call();
    console.log(`    one more call: ${outcome}, reached server ${reached ? 'yes' : 'no'}`);
    await trials({ kind: 'up' }, 'the server is up');
  }
}

/* Output of a real run (npm run example:half-open-sampling):

halfOpenSampling { calls: 5, threshold: 0.2 }: 1 of 5 trials may fail
  the server answers 503: 3 failures open the circuit
  350 ms later, the server fails every other request:
    trial 1  success  reached server yes  -> half-open  (0 failed)
    trial 2  failure  reached server yes  -> half-open  (1 failed)
    trial 3  success  reached server yes  -> half-open  (1 failed)
    trial 4  failure  reached server yes  -> open       (2 failed)
    one more call: rejected, reached server no
  350 ms later, the server is up:
    trial 1  success  reached server yes  -> half-open  (0 failed)
    trial 2  success  reached server yes  -> half-open  (0 failed)
    trial 3  success  reached server yes  -> half-open  (0 failed)
    trial 4  success  reached server yes  -> half-open  (0 failed)
    trial 5  success  reached server yes  -> closed     (0 failed)
halfOpenSampling { calls: 4, threshold: 0.5 }: 2 of 4 trials may fail
  the server answers 503: 3 failures open the circuit
  350 ms later, the server fails every other request:
    trial 1  success  reached server yes  -> half-open  (0 failed)
    trial 2  failure  reached server yes  -> half-open  (1 failed)
    trial 3  success  reached server yes  -> half-open  (1 failed)
    trial 4  failure  reached server yes  -> closed     (2 failed)
no halfOpenSampling (one trial)
  the server answers 503: 3 failures open the circuit
  350 ms later, the server fails every other request:
    trial 1  success  reached server yes  -> closed     (0 failed)
*/
