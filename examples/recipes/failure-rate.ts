/**
 * Recipe: open on a failure *rate* instead of consecutive failures, against a flaky server
 * (half its answers are 503). Each library's own rate-based breaker:
 * opossum `errorThresholdPercentage` + `volumeThreshold`, cockatiel `SamplingBreaker`,
 * mollitia `SlidingCountBreaker` with `failureRateThreshold`.
 *
 *   npm run example:failure-rate
 */
import CircuitBreaker from 'opossum';
import { circuitBreaker, CircuitState, handleAll, SamplingBreaker } from 'cockatiel';
import { Circuit, SlidingCountBreaker } from 'mollitia';
import { recipeTakesNoOptions, ServerSwitch } from '../../src/server/index.ts';

const MAX_CALLS = 40;

recipeTakesNoOptions('failure-rate');

/** GET the greeting; a refused connection, a timeout or a non-2xx answer is a failure. */
async function fetchGreeting(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body}`);
  return body;
}

// opossum: open when more than 50% of the calls in its rolling window (10 s) failed, once it holds 10.
const opossum = new CircuitBreaker(fetchGreeting, {
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  rollingCountTimeout: 10_000,
  resetTimeout: 10_000,
  timeout: false,
});
// cockatiel: open when more than 50% of the calls of the last 5 s failed, at 2 calls/s or more (10 calls).
const cockatiel = circuitBreaker(handleAll, {
  halfOpenAfter: 10_000,
  breaker: new SamplingBreaker({ threshold: 0.5, duration: 5_000, minimumRps: 2 }),
});
// mollitia: open when 50% or more of the last 10 calls failed.
const mollitiaBreaker = new SlidingCountBreaker({
  slidingWindowSize: 10,
  minimumNumberOfCalls: 10,
  failureRateThreshold: 50,
  openStateDelay: 10_000,
});
const mollitia = new Circuit({ func: fetchGreeting, options: { modules: [mollitiaBreaker] } });

const libraries = [
  {
    name: 'opossum',
    call: (url: string) => opossum.fire(url),
    isOpen: () => opossum.opened,
    window: (outcomes: string) => outcomes, // every call of the last 10 s: all of them here
  },
  {
    name: 'cockatiel',
    call: (url: string) => cockatiel.execute(() => fetchGreeting(url)),
    isOpen: () => cockatiel.state === CircuitState.Open,
    window: (outcomes: string) => outcomes, // every call of the last 5 s: all of them here
  },
  {
    name: 'mollitia',
    call: (url: string) => mollitia.execute<string>(url),
    isOpen: () => mollitiaBreaker.state === 'opened',
    window: (outcomes: string) => outcomes.slice(-10),
  },
];

console.log('the server answers 503 to half the requests (flaky=0.5, the same sequence for each)');
for (const library of libraries) {
  // A server of its own per library: its seeded sequence of failures starts over.
  await using server = await ServerSwitch.create();
  await server.turnOn({ kind: 'flaky', rate: 0.5 });
  let outcomes = '';
  while (!library.isOpen() && outcomes.length < MAX_CALLS) {
    outcomes += await library.call(server.url).then(
      () => '.',
      () => 'x',
    );
  }
  const window = library.window(outcomes);
  const failed = `${window.split('x').length - 1} of the ${window.length} calls in its window failed`;
  const opened = library.isOpen() ? `opened at call ${outcomes.length}` : 'never opened';
  console.log(`  ${library.name.padEnd(9)}  ${outcomes.padEnd(20)}  ${opened}: ${failed}`);
  const seen = server.requests.total;
  await Promise.allSettled([1, 2, 3].map(() => library.call(server.url)));
  console.log(
    `  ${''.padEnd(9)}  3 more calls: ${server.requests.total - seen} reached the server`,
  );
}
console.log('  (x failure, . success)');
opossum.shutdown();
mollitia.dispose();
