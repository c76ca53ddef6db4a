/**
 * The seed's scenario with shared-circuit, this project's package: the state lives in Redis
 * (REDIS_URL), shared by every process of a fleet; without a Redis, one line says so and its
 * in-process breaker, with the same rules, takes over. `npm run example:shared-circuit [-- --speed 10]`
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SharedCircuit } from 'shared-circuit';
import { exampleCommandLine, runExample, ServerSwitch } from '../src/server/index.ts';

const FAILURES = 3;
const TIMEOUT = 6; // seconds the circuit stays open before a trial call
const REQUEST_TIMEOUT = 2; // seconds

const { isScript, speed, port } = exampleCommandLine(import.meta.filename);
const seconds = (s: number) => (s * 1000) / speed; // scenario seconds -> real milliseconds

// Open after FAILURES consecutive failures across the fleet, one trial TIMEOUT later; a namespace
// of this run's own, so an earlier run's state does not carry over.
const circuit = new SharedCircuit({
  name: 'greeting',
  namespace: `example-${randomUUID().slice(0, 8)}`,
  failures: FAILURES,
  resetTimeoutMs: seconds(TIMEOUT),
});
let openedAt: number | undefined; // pybreaker's `opened_at`, from the circuit's own event
circuit.onStateChange((state) => state === 'open' && (openedAt = performance.now()));

/** GET the greeting through the circuit; a timeout or a non-2xx answer is a failure. */
export function getGreeting(url: string): Promise<string> {
  return circuit.execute(async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(seconds(REQUEST_TIMEOUT)) });
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    return response.text();
  });
}

async function greetingsTest(url: string, iterations = 10, delay = 1): Promise<void> {
  for (let i = 0; i < iterations; i += 1) {
    await getGreeting(url).catch(() => {}); // failures and rejections: the state tells
    const left = TIMEOUT - (openedAt ? ((performance.now() - openedAt) / 1000) * speed : 0);
    const till = Number(left.toFixed(6)) || 0; // Python prints up to 6 decimals, and no -0
    console.log(`get_greeting circuit state: ${circuit.state}. Time till open: ${till}`);
    await sleep(seconds(delay));
  }
}

async function main(): Promise<void> {
  await using server = await ServerSwitch.create({ port, log: console.log });
  await circuit.ready(); // connected to Redis, or on its in-process breaker
  console.log('Server is turned OFF...');
  await greetingsTest(server.url);
  console.log('Server is turning ON...');
  await server.turnOn();
  console.log(` * Running on ${server.url}`);
  await greetingsTest(server.url);
  await circuit.dispose();
}

if (isScript) await runExample(main); // a port already in use: one line, exit code 1
