/**
 * One process of a test fleet: a SharedCircuit made from the CIRCUIT_OPTIONS environment variable
 * (JSON), steered by lines on stdin and reporting on stdout, one JSON object a line:
 * - `calls <n>`: n callers at once, each fetching SERVER_URL and then holding its answer until
 *   `release`; reports `{"call":"started"}` when an action starts, then `ok`, `rejected` or `failed`.
 *   `calls <n> ok` and `calls <n> fail` answer at once, well or failing.
 * - `release`: the held actions return.
 * - `fail`: the held actions throw instead.
 * Reports `{"ready":"shared"}` once connected and `{"state":...}` on every change.
 */
import { createInterface } from 'node:readline';
import { isCircuitOpenError } from 'shared-circuit';
import { SharedCircuit } from 'shared-circuit';
import type { SharedCircuitOptions } from 'shared-circuit';
import { fetchGreeting } from '../../src/http/fetch-greeting.ts';

const options = JSON.parse(process.env['CIRCUIT_OPTIONS'] ?? '{}') as SharedCircuitOptions;
const circuit = new SharedCircuit({ ...options, log: () => {} });
const serverUrl = process.env['SERVER_URL'] ?? '';
const report = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
circuit.onStateChange((state) => report({ state }));

let settleHeld: (fail: boolean) => void = () => {};
let held = new Promise<boolean>((resolve) => (settleHeld = resolve));

async function call(answer: string | undefined): Promise<void> {
  try {
    await circuit.execute(async () => {
      report({ call: 'started' });
      const mine = held; // the next release or fail, even if it comes before the answer
      await fetchGreeting(serverUrl, { timeoutMs: 5000 });
      const fail = answer === undefined ? await mine : answer === 'fail';
      if (fail) throw new Error('failed on purpose');
    });
    report({ call: 'ok' });
  } catch (error) {
    report({ call: isCircuitOpenError(error) ? 'rejected' : 'failed' });
  }
}

report({ ready: await circuit.ready() });
for await (const line of createInterface({ input: process.stdin })) {
  const [command, count, answer] = line.split(' ');
  if (command === 'calls') {
    for (let i = 0; i < Number(count); i += 1) void call(answer);
  } else if (command === 'release' || command === 'fail') {
    settleHeld(command === 'fail');
    held = new Promise<boolean>((resolve) => (settleHeld = resolve));
  }
}
await circuit.dispose();
