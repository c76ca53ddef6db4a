/**
 * Recipe: answer from a fallback while the circuit is open, instead of an error.
 * opossum: `breaker.fallback(fn)`; cockatiel: a `fallback` policy wrapped around the breaker.
 *
 *   npm run example:fallback
 */
import { setTimeout as sleep } from 'node:timers/promises';
import CircuitBreaker from 'opossum';
import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  fallback,
  handleAll,
  wrap,
} from 'cockatiel';
import { recipeTakesNoOptions, ServerSwitch } from '../../src/server/index.ts';

const STATES = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

const RESET_TIMEOUT = 300; // ms the circuit stays open
const CACHED = 'Hello from the cache!'; // what the fallback answers: a cached or default value

recipeTakesNoOptions('fallback');

/** GET the greeting; a refused connection, a timeout or a non-2xx answer is a failure. */
async function fetchGreeting(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body}`);
  return body;
}

// opossum: the fallback runs for a failure and for a call rejected by the open circuit.
const breaker = new CircuitBreaker(fetchGreeting, {
  volumeThreshold: 3,
  errorThresholdPercentage: 50,
  resetTimeout: RESET_TIMEOUT,
  timeout: false, // the request timeout is fetch's own
});
breaker.fallback(() => CACHED);

// cockatiel: the fallback policy goes outside, so it also catches the breaker's BrokenCircuitError.
const policy = circuitBreaker(handleAll, {
  halfOpenAfter: RESET_TIMEOUT,
  breaker: new ConsecutiveBreaker(3),
});
const withFallback = wrap(fallback(handleAll, CACHED), policy);

const clients = [
  {
    name: 'opossum',
    call: (url: string) => breaker.fire(url),
    state: () => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed'),
  },
  {
    name: 'cockatiel',
    call: (url: string) => withFallback.execute(() => fetchGreeting(url)),
    state: () => STATES[policy.state],
  },
];

await using server = await ServerSwitch.create();
for (const client of clients) {
  console.log(`${client.name}: the server answers 503`);
  await server.turnOn({ kind: 'error', status: 503 });
  const row = async (call: number) => {
    const before = client.state();
    const seen = server.requests.total;
    const answer = await client.call(server.url); // never throws: the fallback answers instead
    const reached = server.requests.total > seen ? 'yes' : 'no';
    console.log(
      `  call ${call}  circuit ${before.padEnd(9)}  reached server ${reached.padEnd(3)}  answer "${answer}"  -> ${client.state()}`,
    );
  };
  for (let call = 1; call <= 6; call += 1) await row(call);
  await server.turnOn({ kind: 'up' });
  await sleep(RESET_TIMEOUT + 50);
  console.log(`  the server is up again; ${RESET_TIMEOUT + 50} ms later:`);
  await row(7);
}
breaker.shutdown();
