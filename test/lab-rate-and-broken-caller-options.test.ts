import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LAB_COMMAND, parseLabOptions } from '../src/cli/lab-options.ts';
import { isInputError } from '../src/input-error.ts';
import { runScript } from './helpers/run-command.ts';

test('--failure-rate, --minimum-throughput and --sampling-window ask for one failure rate', () => {
  const { scenario } = parseLabOptions([
    ...['--failure-rate', '0.4', '--minimum-throughput', '6', '--sampling-window', '6'],
  ]);
  assert.deepEqual(scenario.failureRate, { ratio: 0.4, minimumThroughput: 6, window: 6 });
});

test('--failure-rate alone takes --failures calls and a window of two reset timeouts', () => {
  const { scenario } = parseLabOptions(['--failure-rate', '0.5', '--failures', '4']);
  assert.deepEqual(scenario.failureRate, { ratio: 0.5, minimumThroughput: 4, window: 12 });
  assert.equal('failureRate' in parseLabOptions([]).scenario, false);
});

test('--broken-callers and --min-processes reach the scenario', () => {
  const { scenario } = parseLabOptions([
    ...['--concurrency', '4', '--broken-callers', '1', '--min-processes', '2'],
  ]);
  assert.equal(scenario.brokenCallers, 1);
  assert.equal(scenario.minProcesses, 2);
});

test("a scenario file's failureRate, brokenCallers, minProcesses and slowCall are read, and a flag overrides one field", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lab-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'rate.json');
  await writeFile(
    file,
    JSON.stringify({
      title: 't',
      question: 'q',
      schedule: 'on:3',
      concurrency: 3,
      brokenCallers: 1,
      minProcesses: 2,
      slowCall: 0.5,
      failureRate: { ratio: 0.4, minimumThroughput: 6, window: 6 },
    }),
  );
  const { scenario } = parseLabOptions(['--scenario', file, '--sampling-window', '3']);
  assert.deepEqual(scenario.failureRate, { ratio: 0.4, minimumThroughput: 6, window: 3 });
  assert.equal(scenario.brokenCallers, 1);
  assert.equal(scenario.minProcesses, 2);
  assert.equal(scenario.slowCall, 0.5);
});

const BAD_INPUT: [string[], RegExp][] = [
  [
    ['--failure-rate', '0'],
    /^--failure-rate must be a number above 0 and at most 1, e\.g\. 0\.4, got "0"$/,
  ],
  [
    ['--failure-rate', '1.5'],
    /^--failure-rate must be a number above 0 and at most 1, e\.g\. 0\.4, got "1\.5"$/,
  ],
  [['--failure-rate', 'half'], /^--failure-rate must be .*, got "half"$/],
  [
    ['--minimum-throughput', '5'],
    /^--minimum-throughput goes with --failure-rate, which is not given$/,
  ],
  [['--sampling-window', '5'], /^--sampling-window goes with --failure-rate, which is not given$/],
  [
    ['--failure-rate', '0.5', '--minimum-throughput', '0'],
    /^--minimum-throughput must be a whole number from 1 to 100000, got "0"$/,
  ],
  [
    ['--failure-rate', '0.5', '--sampling-window', '-1'],
    /^--sampling-window must be a number > 0, got "-1"$/,
  ],
  [
    ['--failure-rate', '0.5', '--sampling-window', '3000000', '--speed', '1'],
    /^--sampling-window: failureRate window 3000000 s at speed 1 is .* more than Node's timers hold/,
  ],
  [
    ['--concurrency', '3', '--broken-callers', '4'],
    /^--broken-callers: brokenCallers must be a whole number from 1 to the callers per call \(concurrency 3\), got 4$/,
  ],
  [['--broken-callers', '0'], /^--broken-callers must be a whole number from 1 to 1000, got "0"$/],
  [
    ['--min-processes', '1.5'],
    /^--min-processes must be a whole number from 1 to 100000, got "1\.5"$/,
  ],
];

for (const [args, message] of BAD_INPUT) {
  test(`bad input ${args.join(' ')} is refused up front with one line naming the value`, () => {
    assert.throws(
      () => parseLabOptions(args),
      (error) => isInputError(error) && message.test(error.message),
    );
  });
}

test('npm start -- --failure-rate 2: one line on stderr, no run, exit code 2', async () => {
  const result = await runScript('src/cli/lab.ts', ['--failure-rate', '2']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.equal(
    result.stderr,
    'error: --failure-rate must be a number above 0 and at most 1, e.g. 0.4, got "2"\n',
  );
});

test('--help lists the failure-rate, broken-caller and min-processes options', () => {
  for (const flag of [
    /--failure-rate <r> +also open when this share of calls failed/,
    /--minimum-throughput <n> +with --failure-rate: the fewest calls/,
    /--sampling-window <s> +with --failure-rate: the window in seconds/,
    /--broken-callers <n> +the last n callers call a port nothing listens on/,
    /--min-processes <n> +the shared circuit's minProcesses/,
  ])
    assert.match(LAB_COMMAND.help, flag);
});
