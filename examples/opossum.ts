/**
 * The seed's scenario with opossum (https://github.com/nodeshift/opossum), the TypeScript
 * counterpart of python-circuit: a failure rate over a rolling time window, a timer-driven half-open.
 *
 *   npm run example:opossum              # real time, about 20 s
 *   npm run example:opossum -- --speed 10
 *
 * The library's configuration lives in src/breakers/opossum.ts (`opossumOptions`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CircuitWatch } from '../src/breakers/circuit-watch.ts';
import { opossum } from '../src/breakers/opossum.ts';
import { exampleOptions } from '../src/cli/example-options.ts';
import { isMain, runMain } from '../src/cli/main-guard.ts';
import { fetchGreeting } from '../src/http/fetch-greeting.ts';
import { formatSeedLine, SERVER_OFF_LINE, SERVER_ON_LINE } from '../src/report/seed-line.ts';
import { ServerSwitch } from '../src/server/server-switch.ts';

const FAILURES = 3;
const TIMEOUT = 6; // seconds the circuit stays open before a trial call
const REQUEST_TIMEOUT = 2; // seconds

const { speed, port } = exampleOptions(import.meta.url, 'npm run example:opossum --');
const seconds = (s: number) => (s * 1000) / speed; // scenario seconds -> real milliseconds

const breaker = opossum.create({
  failures: FAILURES,
  resetTimeoutMs: seconds(TIMEOUT),
});
const watch = new CircuitWatch(breaker, seconds(TIMEOUT));

/** GET the greeting through the circuit; a non-2xx answer counts as a failure. */
export function getGreeting(url: string): Promise<string> {
  return breaker.execute(() => fetchGreeting(url, { timeoutMs: seconds(REQUEST_TIMEOUT) }));
}

async function greetingsTest(url: string, iterations = 10, delay = 1): Promise<void> {
  for (let i = 0; i < iterations; i += 1) {
    try {
      await getGreeting(url);
    } catch {
      // failures and rejections are what this scenario is about: show the state instead
    }
    console.log(formatSeedLine(breaker.state, (watch.timeTillRetryMs() / 1000) * speed));
    await sleep(seconds(delay));
  }
}

async function main(): Promise<void> {
  await using server = await ServerSwitch.create({ port, log: console.log });
  console.log(SERVER_OFF_LINE);
  await greetingsTest(server.url);
  console.log(SERVER_ON_LINE);
  await server.turnOn();
  console.log(` * Running on ${server.url}`);
  await greetingsTest(server.url);
  breaker.dispose();
}

if (isMain(import.meta.url)) await runMain(main);
