/**
 * The seed's scenario with opossum (https://github.com/nodeshift/opossum), the TypeScript
 * counterpart of python-circuit: a failure rate over a rolling time window, a timer-driven half-open.
 *
 *   npm run example:opossum              # real time, about 20 s
 *   npm run example:opossum -- --speed 10
 */
import { setTimeout as sleep } from 'node:timers/promises';
import CircuitBreaker from 'opossum';
import { exampleCommandLine, runExample, ServerSwitch } from '../src/server/index.ts';

const FAILURES = 3;
const TIMEOUT = 6; // seconds the circuit stays open before a trial call
const REQUEST_TIMEOUT = 2; // seconds

// Run as a script (Python's `if __name__ == "__main__"`): --speed (or SPEED), --port and --help
// from the command line; imported by a test: speed 1, port 5000.
const { isScript, speed, port } = exampleCommandLine(import.meta.filename);
const seconds = (s: number) => (s * 1000) / speed; // scenario seconds -> real milliseconds

/** GET the greeting; a refused connection, a timeout or a non-2xx answer is a failure. */
async function fetchGreeting(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(seconds(REQUEST_TIMEOUT)) });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body}`);
  return body;
}

// The breaker. opossum opens on a failure *rate* once the window holds `volumeThreshold` calls:
// from a fresh start, FAILURES failures in a row open it, as in the seed. (The setting that agreed
// most with the seed's own package: docs/conformance.md.)
const breaker = new CircuitBreaker(fetchGreeting, {
  volumeThreshold: FAILURES,
  errorThresholdPercentage: 50, // open when more than half the calls in the window failed
  resetTimeout: seconds(TIMEOUT), // then a timer moves it to half-open: the next call is the trial
  rollingCountTimeout: seconds(2 * TIMEOUT), // a window of two reset timeouts
  timeout: false, // the request timeout is fetch's own (above)
});
// The state as opossum's events report it, and when it last opened (pybreaker's `opened_at`).
let state = 'closed';
let openedAt: number | undefined;
breaker.on('open', () => {
  state = 'open';
  openedAt = performance.now();
});
breaker.on('halfOpen', () => (state = 'half-open'));
breaker.on('close', () => (state = 'closed'));

/** GET the greeting through the circuit. */
export function getGreeting(url: string): Promise<string> {
  return breaker.fire(url);
}

/** The seed's "Time till open": the reset timeout less the seconds since the circuit last opened. */
function timeTillOpen(): number {
  if (openedAt === undefined) return TIMEOUT;
  const left = TIMEOUT - ((performance.now() - openedAt) / 1000) * speed;
  return Number(left.toFixed(6)) || 0; // Python prints up to 6 decimals, and no -0
}

async function greetingsTest(url: string, iterations = 10, delay = 1): Promise<void> {
  for (let i = 0; i < iterations; i += 1) {
    try {
      await getGreeting(url);
    } catch {
      // failures and rejections are what this scenario is about: show the state instead
    }
    console.log(`get_greeting circuit state: ${state}. Time till open: ${timeTillOpen()}`);
    await sleep(seconds(delay));
  }
}

async function main(): Promise<void> {
  await using server = await ServerSwitch.create({ port, log: console.log });
  console.log('Server is turned OFF...');
  await greetingsTest(server.url);
  console.log('Server is turning ON...');
  await server.turnOn();
  console.log(` * Running on ${server.url}`);
  await greetingsTest(server.url);
  breaker.shutdown(); // stops its timers and listeners
}

if (isScript) await runExample(main); // a port already in use: one line, exit code 1
