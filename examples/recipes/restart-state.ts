/**
 * Recipe: keep a circuit's state across a restart (a serverless function, a redeploy): save it
 * when the process ends, restore it in the next one. cockatiel: `policy.toJSON()` and the
 * `initialState` option; opossum: `breaker.toJSON().state` and the `state` option.
 *
 *   npm run example:restart-state
 */
import { setTimeout as sleep } from 'node:timers/promises';
import CircuitBreaker from 'opossum';
import { circuitBreaker, CircuitState, ConsecutiveBreaker, handleAll } from 'cockatiel';
import { recipeTakesNoOptions, ServerSwitch } from '../../src/server/index.ts';

const RESET_TIMEOUT = 400; // ms the circuit stays open before a trial call
const RESTART = 100; // ms from the end of process 1 to the start of process 2 (a cold start)

recipeTakesNoOptions('restart-state');

/** GET the greeting; a refused connection, a timeout or a non-2xx answer is a failure. */
async function fetchGreeting(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body}`);
  return body;
}

/** One library's breaker, built from a saved state or from nothing. */
interface Breaker {
  call(url: string): Promise<unknown>;
  state(): string;
  /** Date.now() when the library last reported the circuit open. */
  openedAt?: number;
  save(): string;
  dispose(): void;
}

function cockatielBreaker(saved?: string): Breaker {
  const policy = circuitBreaker(handleAll, {
    halfOpenAfter: RESET_TIMEOUT,
    breaker: new ConsecutiveBreaker(3),
    initialState: saved === undefined ? undefined : JSON.parse(saved),
  });
  const breaker: Breaker = {
    call: (url) => policy.execute(() => fetchGreeting(url)),
    state: () => (policy.state === CircuitState.Closed ? 'closed' : 'open'), // half-open is lazy
    save: () => JSON.stringify(policy.toJSON()),
    dispose: () => {},
  };
  policy.onBreak(() => (breaker.openedAt = Date.now()));
  return breaker;
}

// Measured with opossum 10.0.0: a circuit restored open stays open a full resetTimeout from the
// restore; and toJSON's `lastTimerAt` is when the breaker was created, not when it opened, so the
// state of a breaker that lived longer than resetTimeout before opening comes back half-open.
function opossumBreaker(saved?: string): Breaker {
  const breaker = new CircuitBreaker(fetchGreeting, {
    volumeThreshold: 3,
    errorThresholdPercentage: 50,
    resetTimeout: RESET_TIMEOUT,
    timeout: false,
    ...(saved === undefined ? {} : { state: JSON.parse(saved) }),
  });
  const wrapper: Breaker = {
    call: (url) => breaker.fire(url),
    state: () => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed'),
    save: () => JSON.stringify(breaker.toJSON().state),
    dispose: () => breaker.shutdown(),
  };
  breaker.on('open', () => (wrapper.openedAt = Date.now()));
  return wrapper;
}

await using server = await ServerSwitch.create();
await server.turnOn({ kind: 'error', status: 503 });
const reached = async (breaker: Breaker) => {
  const seen = server.requests.total;
  await breaker.call(server.url).catch(() => undefined);
  return server.requests.total > seen;
};

console.log(
  `the server answers 503; reset timeout ${RESET_TIMEOUT} ms; process 2 starts ${RESTART} ms after process 1 ends`,
);
for (const [name, create] of [
  ['cockatiel', cockatielBreaker],
  ['opossum', opossumBreaker],
] as const) {
  for (const livedFor of [0, RESET_TIMEOUT + 100]) {
    const first = create(); // process 1
    await sleep(livedFor); // ... serves for a while, then its dependency fails
    for (let call = 1; call <= 3; call += 1) await reached(first);
    const openedAt = first.openedAt ?? NaN;
    const saved = first.save();
    first.dispose(); // process 1 ends
    await sleep(RESTART);
    const second = create(saved); // process 2 starts from the saved state
    const restoredAt = Date.now();
    const restored = second.state();
    let calls = 1; // calls every 10 ms until one reaches the server again
    while (!(await reached(second))) {
      calls += 1;
      await sleep(10);
    }
    const [afterOpening, afterRestore] = [Date.now() - openedAt, Date.now() - restoredAt];
    console.log(
      `  ${name.padEnd(9)}  lived ${String(livedFor).padStart(3)} ms, opened  restored ${restored.padEnd(9)}  first call through: #${calls}, ${afterOpening} ms after the opening, ${afterRestore} ms after the restore`,
    );
    second.dispose();
  }
}
const fresh = cockatielBreaker();
console.log(
  `  without the saved state: a new breaker is ${fresh.state()}; its first call reached the server: ${await reached(fresh)}`,
);
