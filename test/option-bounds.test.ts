import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseFleetOptions } from '../src/cli/fleet-options.ts';
import { LAB_COMMAND, parseLabOptions } from '../src/cli/lab-options.ts';
import { isInputError } from '../src/input-error.ts';
import { MAX_TIMER_MS } from '../src/scenario/scenario-bounds.ts';
import { runScript } from './helpers/run-command.ts';

// Values past what Node's timers hold used to pass and change behaviour quietly: a reset timeout
// of 1e9 s let a trial through on every call, a request timeout of 1e9 s failed every call at once.
const LAB_OUT_OF_BOUNDS: [string[], RegExp][] = [
  [
    ['--reset-timeout', '1e9'],
    /^--reset-timeout: resetTimeout 1000000000 s at speed 1 is 1\.00e\+12 ms of real time, more than Node's timers hold \(2147483647 ms, about 24\.8 days\); valid: up to 2147483\.647 s at speed 1$/,
  ],
  [['--request-timeout', '1e9'], /^--request-timeout: requestTimeout 1000000000 s at speed 1 /],
  [
    ['--delay', '1e7', '--speed', '0.5'],
    /^--delay: delay 10000000 s at speed 0\.5 .* up to 1073741\.823 s at speed 0\.5$/,
  ],
  [['--speed', '1e-9'], /^--speed: speed must be from 0\.01 to 1000, got 1e-9$/],
  [['--speed', '5000'], /^--speed: speed must be from 0\.01 to 1000, got 5000$/],
  [
    ['--concurrency', '100000'],
    /^--concurrency: concurrency must be a whole number from 1 to 1000, got 100000$/,
  ],
  [
    ['--failures', '1e9'],
    /^--failures: failures must be a whole number from 1 to 100000, got 1000000000$/,
  ],
  [
    ['--schedule', 'slow=9999999999:3'],
    /^--schedule: "slow=9999999999" at speed 1 is .* valid: slow=<ms> up to 2147483647$/,
  ],
  [['--schedule', 'on:1000000'], /^--schedule: "on:1000000" has more than 100000 calls/],
  [
    ['--scenario', 'scenarios/seed.json', '--speed', '0.01', '--delay', '3e5'],
    /^--delay: delay 300000 s at speed 0\.01 /,
  ],
];

for (const [args, message] of LAB_OUT_OF_BOUNDS) {
  test(`lab: ${args.join(' ')} is out of bounds and refused with one line saying what is valid`, () => {
    assert.throws(
      () => parseLabOptions(args),
      (error) => isInputError(error) && message.test(error.message),
    );
  });
}

test('lab: the largest values inside the bounds are accepted', () => {
  const maxSeconds = MAX_TIMER_MS / 1000;
  const options = parseLabOptions([
    '--reset-timeout',
    String(maxSeconds),
    '--request-timeout',
    String(maxSeconds),
    '--speed',
    '1000',
    '--concurrency',
    '1000',
  ]);
  assert.equal(options.scenario.concurrency, 1000);
  assert.equal(options.scenario.speed, 1000);
  assert.equal(parseLabOptions(['--speed', '0.01']).scenario.speed, 0.01);
});

test('lab: a scenario file value out of bounds names the file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bounds-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'crowd.json');
  await writeFile(
    file,
    JSON.stringify({ title: 't', question: 'q', schedule: 'on:1', concurrency: 5000 }),
  );
  assert.throws(
    () => parseLabOptions(['--scenario', file]),
    (error) =>
      isInputError(error) &&
      error.message ===
        `--scenario ${file}: concurrency must be a whole number from 1 to 1000, got 5000`,
  );
});

test('lab: --help shows the bounds', () => {
  assert.match(
    LAB_COMMAND.help,
    /--concurrency <n> +callers per library making each call at once, 1 to 1000/,
  );
  assert.match(LAB_COMMAND.help, /0\.01 to 1000/);
});

const FLEET_OUT_OF_BOUNDS: [string[], RegExp][] = [
  [
    ['--reset-timeout', '1e9'],
    /^--reset-timeout must be a number > 0 and at most 3600 s, got "1e9"$/,
  ],
  [['--down', '3601'], /^--down must be a number > 0 and at most 3600 s, got "3601"$/],
  [['--up', '1e12'], /^--up must be a number > 0 and at most 3600 s/],
  [['--interval', '60001'], /^--interval must be a number > 0 and at most 60000 ms, got "60001"$/],
  [['--request-timeout', '1e9'], /^--request-timeout must be a number > 0 and at most 60000 ms/],
  [['--failures', '1001'], /^--failures must be a whole number from 1 to 1000, got "1001"$/],
];

for (const [args, message] of FLEET_OUT_OF_BOUNDS) {
  test(`fleet: ${args.join(' ')} is out of bounds and refused with one line saying what is valid`, () => {
    assert.throws(
      () => parseFleetOptions(args),
      (error) => isInputError(error) && message.test(error.message),
    );
  });
}

test('npm start -- --reset-timeout 1e9: one line, no run, exit code 2', async () => {
  const result = await runScript('src/cli/lab.ts', ['--reset-timeout', '1e9']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^error: --reset-timeout: resetTimeout 1000000000 s .*\n$/);
});

test('npm run fleet -- --reset-timeout 1e9: one line, no run, exit code 2', async () => {
  const result = await runScript('src/cli/fleet.ts', ['--reset-timeout', '1e9']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.equal(
    result.stderr,
    'error: --reset-timeout must be a number > 0 and at most 3600 s, got "1e9"\n',
  );
});

test('npm run server -- --mode slow=<ms> past the timer limit: one line, exit code 2', async () => {
  const result = await runScript('src/cli/server.ts', [
    '--mode',
    'slow=99999999999',
    '--port',
    '0',
  ]);
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    'error: --mode: slow=<ms> takes at most 2147483647 ms (Node\'s timer limit), got "slow=99999999999"\n',
  );
});
