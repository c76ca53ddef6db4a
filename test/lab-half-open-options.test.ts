import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LAB_COMMAND, parseLabOptions } from '../src/cli/lab-options.ts';
import { isInputError } from '../src/input-error.ts';
import { runScript } from './helpers/run-command.ts';

test('--half-open-calls and --half-open-failure-share ask every library for that sampling', () => {
  const { scenario } = parseLabOptions([
    ...['--half-open-calls', '4', '--half-open-failure-share', '0.25'],
  ]);
  assert.deepEqual(scenario.halfOpen, { calls: 4, failureShare: 0.25 });
});

test('without either flag the scenario leaves half-open to the default, one trial', () => {
  assert.equal('halfOpen' in parseLabOptions([]).scenario, false);
  assert.deepEqual(parseLabOptions(['--half-open-calls', '3']).scenario.halfOpen, {
    calls: 3,
    failureShare: 0,
  });
});

test("a flag overrides the scenario file's halfOpen and keeps its other field", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lab-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'sampling.json');
  await writeFile(
    file,
    JSON.stringify({
      title: 't',
      question: 'q',
      schedule: 'off:3',
      halfOpen: { calls: 4, failureShare: 0.25 },
    }),
  );
  assert.deepEqual(parseLabOptions(['--scenario', file]).scenario.halfOpen, {
    calls: 4,
    failureShare: 0.25,
  });
  assert.deepEqual(
    parseLabOptions(['--scenario', file, '--half-open-failure-share', '0.5']).scenario.halfOpen,
    { calls: 4, failureShare: 0.5 },
  );
});

const SHARE_FORM = 'a number from 0 to below 1 \\(0\\.25: a quarter of the trials may fail\\)';
const BAD_INPUT: [string[], RegExp][] = [
  [['--half-open-calls', '0'], /^--half-open-calls must be a whole number >= 1, got "0"$/],
  [['--half-open-calls', '2.5'], /^--half-open-calls must be a whole number >= 1, got "2\.5"$/],
  [
    ['--half-open-calls', '100001'],
    /^--half-open-calls: halfOpen\.calls must be a whole number from 1 to 100000, got 100001$/,
  ],
  [
    ['--half-open-failure-share', '1'],
    new RegExp(`^--half-open-failure-share must be ${SHARE_FORM}, got "1"$`),
  ],
  [
    ['--half-open-failure-share', '-0.1'],
    new RegExp(`^--half-open-failure-share must be ${SHARE_FORM}, got "-0\\.1"$`),
  ],
  [
    ['--half-open-failure-share', 'half'],
    new RegExp(`^--half-open-failure-share must be ${SHARE_FORM}, got "half"$`),
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

test('npm start -- --half-open-failure-share 1: one line on stderr, no run, exit code 2', async () => {
  const result = await runScript('src/cli/lab.ts', ['--half-open-failure-share', '1']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^error: --half-open-failure-share must be .*, got "1"\n$/);
});

test('--help shows both options with their defaults', () => {
  assert.match(
    LAB_COMMAND.help,
    /--half-open-calls <n> +trial calls a half-open circuit .*\n.*\(default 1\)/,
  );
  assert.match(
    LAB_COMMAND.help,
    /--half-open-failure-share <r> +share of those trials .*\(default 0\)/,
  );
});
