/**
 * The seed's scenario with mollitia (https://github.com/genesys/mollitia), the TypeScript
 * counterpart of pybreaker: listeners, pluggable state, a sliding window of calls.
 *
 *   npm run example:mollitia              # real time, about 20 s
 *   npm run example:mollitia -- --speed 10
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BreakerState, Circuit, SlidingCountBreaker } from 'mollitia';
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

// The breaker: a window of the last FAILURES calls that must all fail, one trial TIMEOUT later.
const breaker = new SlidingCountBreaker({
  slidingWindowSize: FAILURES,
  minimumNumberOfCalls: FAILURES,
  failureRateThreshold: 99, // percent; mollitia ignores a threshold of 100, so 99 is "all failed"
  openStateDelay: seconds(TIMEOUT),
  permittedNumberOfCallsInHalfOpenState: 1, // one trial call (mollitia's default is 2)
});
const circuit = new Circuit({ func: fetchGreeting, options: { modules: [breaker] } });
// The state as mollitia's event reports it, and when it last opened (pybreaker's `opened_at`).
const NAMES = {
  [BreakerState.CLOSED]: 'closed',
  [BreakerState.OPENED]: 'open',
  [BreakerState.HALF_OPENED]: 'half-open',
};
let state = 'closed';
let openedAt: number | undefined;
breaker.on('state-changed', (changed: BreakerState) => {
  state = NAMES[changed];
  if (changed === BreakerState.OPENED) openedAt = performance.now();
});

/** GET the greeting through the circuit. */
export function getGreeting(url: string): Promise<string> {
  return circuit.execute<string>(url);
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
  circuit.dispose(); // mollitia's open-state timer would keep the process alive
}

if (isScript) await runExample(main); // a port already in use: one line, exit code 1
