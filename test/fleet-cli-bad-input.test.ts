import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUsageError } from '../src/cli/usage-error.ts';
import { FLEET_USAGE, parseFleetOptions } from '../src/cli/fleet-options.ts';
import { runScript } from './helpers/run-command.ts';

const cases: [string[], RegExp][] = [
  [['--bogus'], /^unknown option --bogus; valid options: --workers <n>, --mode shared\|local/],
  [['--mode', 'both'], /^--mode must be shared or local, got "both"$/],
  [['--workers', '0'], /^--workers must be a whole number >= 1, got "0"$/],
  [['--workers', '65'], /^--workers must be a whole number from 1 to 64, got "65"$/],
  [['--interval', 'fast'], /^--interval must be a number > 0, got "fast"$/],
  [['--down', '-1'], /^--down must be a number > 0, got "-1"$/],
  [['--failures'], /^--failures needs a value; valid options:/],
  [
    ['--namespace', 'a b'],
    /^--namespace: namespace must be letters, digits, "_", "-", "." or ":", got "a b"$/,
  ],
  [['--metrics-port', '-1'], /^--metrics-port must be a whole number from 0 to 65535, got "-1"$/],
  [['--chaos', '--mode', 'shared'], /^--chaos runs its own schedule in shared mode: drop --mode$/],
  [['--chaos', '--down', '5'], /^--chaos runs its own schedule in shared mode: drop --down$/],
];

for (const [args, message] of cases) {
  test(`fleet options: ${args.join(' ')} is refused with a message naming the problem`, () => {
    assert.throws(
      () => parseFleetOptions(args),
      (error) => isUsageError(error) && message.test(error.message),
    );
  });
}

test('fleet options: no arguments give the documented defaults', () => {
  assert.deepEqual(parseFleetOptions([]), {
    workers: 4,
    mode: 'both',
    failures: 3,
    resetTimeoutMs: 2000,
    downMs: 10_000,
    upMs: 2000,
    intervalMs: 100,
    requestTimeoutMs: 1000,
    namespace: undefined,
    metricsPort: undefined,
    chaos: false,
    json: false,
    help: false,
  });
  for (const text of [
    '--workers <n>',
    '(default 4)',
    '(default 3)',
    '(default 2)',
    '(default 10)',
  ]) {
    assert.ok(FLEET_USAGE.includes(text), `--help shows ${text}`);
  }
});

test('npm run fleet with a bad option prints one line, no stack trace, and exits 2', async () => {
  const result = await runScript('src/cli/fleet.ts', ['--mode', 'everything']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, 'error: --mode must be shared or local, got "everything"\n');
});
