import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, runScript } from './helpers/run-command.ts';
import { main } from '../src/cli/lab.ts';
import { parseLabOptions } from '../src/cli/lab-options.ts';
import { isInputError } from '../src/input-error.ts';
import { consecutiveModel } from '../src/scenario/consecutive-model.ts';
import type { Trace } from '../src/scenario/trace.ts';
import { assertTraceShape } from './helpers/trace-schema.ts';
import { SPEED } from './helpers/timing.ts';

const LAB = 'src/cli/lab.ts';
const FAST = ['--speed', String(SPEED), '--port', '0'];

test('prints one row per call for every library, then a summary that adds up the rows', async () => {
  const result = await runScript(LAB, FAST);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split('\n');
  assert.match(
    lines[0] ?? '',
    /^Scenario: off:10,on:10; open after 3 consecutive failures, 6 s open/,
  );
  // opossum's own rule differs from the scenario's, and the lab says so; the others' do not.
  assert.match(lines[1] ?? '', /^ {2}opossum: opens on a failure rate: /);
  assert.match(lines[2] ?? '', /^call\s+time\s+server\s+opossum\s+cockatiel\s+mollitia$/);
  assert.match(lines[3] ?? '', /^\s+(outcome\s+state\s+next trial\s*){3}$/);
  assert.match(
    lines[4] ?? '',
    /^outcome: of the call; state: right after it; next trial: seconds till/,
  );
  const rows = lines.filter((line) => /^\s+\d+\s+\d+\.\d\s+(on|off)\s/.test(line));
  assert.equal(rows.length, 20);
  // Calls 1-4 come out the same however the machine stalls: two failures, the third opens, then a rejection.
  // While closed the next-trial column is blank; while open it counts down, never below 0.
  assert.match(
    rows[0] ?? '',
    /^\s+1\s.*off\s+failure\s+closed\s+failure\s+closed\s+failure\s+closed$/,
  );
  assert.match(rows[2] ?? '', /^\s+3\s.*off\s+(failure\s+open\s+6\.0\s*){3}$/);
  assert.match(rows[3] ?? '', /^\s+4\s.*off\s+(rejected\s+open\s+[\d.]+\s*){3}$/);
  assert.match(
    rows[19] ?? '',
    /^\s+20\s.*on\s+success\s+closed\s+success\s+closed\s+success\s+closed$/,
  );
  for (const row of rows) assert.ok(!/-\d/.test(row), `no negative time: ${row}`);
  assert.ok(!result.stdout.includes('\u001b['), 'no colour when piped');
  const summary = lines.slice(lines.findIndex((line) => line.startsWith('library')));
  assert.match(
    summary[0] ?? '',
    /^library\s+version\s+reached server\s+rejected\s+trials\s+opened\s+seconds open$/,
  );
  for (const [lane, library] of ['opossum', 'cockatiel', 'mollitia'].entries()) {
    // Each lane is 34 characters wide after the 26 of call, time and server; outcome comes first.
    const outcomes = rows.map((row) => row.slice(26 + lane * 34).split(/\s+/)[0]);
    const count = (outcome: string) => outcomes.filter((cell) => cell === outcome).length;
    const line = summary.find((candidate) => candidate.startsWith(library)) ?? '';
    const [, , reached, rejected, trials, opened] = line.split(/\s+/);
    assert.match(line, new RegExp(`^${library}\\s+\\d+\\.\\d+\\.\\d+\\s+(\\d+\\s+){4}\\d+\\.\\d$`));
    assert.equal(Number(reached), count('success'), `${library}: reached server = successes`);
    assert.equal(Number(rejected), count('rejected'), `${library}: rejected = rejected rows`);
    assert.ok(Number(trials) >= 2 && Number(opened) >= 2, `${library}: ${line}`);
  }
});

test('colours states when FORCE_COLOR is set and not when NO_COLOR is', async () => {
  const coloured = await runScript(
    LAB,
    [...FAST, '--schedule', 'off:3', '--library', 'cockatiel'],
    {
      env: { NO_COLOR: undefined, FORCE_COLOR: '1' },
    },
  );
  assert.ok(coloured.stdout.includes('\u001b[32mclosed'), 'closed in green');
  assert.ok(coloured.stdout.includes('\u001b[31mopen'), 'open in red');
  const plain = await runScript(LAB, [...FAST, '--schedule', 'off:3', '--library', 'cockatiel'], {
    env: { NO_COLOR: '1', FORCE_COLOR: '1' },
  });
  assert.ok(!plain.stdout.includes('\u001b['));
});

test('--json prints only a trace document that matches the contract', async () => {
  const result = await runScript(LAB, [
    '--json',
    ...FAST,
    '--failures',
    '2',
    '--reset-timeout',
    '2.5',
    '--delay',
    '0.5',
    '--schedule',
    'off:6,on:6',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const trace = JSON.parse(result.stdout) as Trace;
  assertTraceShape(trace);
  assert.deepEqual(trace.scenario.schedule, [
    { server: 'off', calls: 6 },
    { server: 'on', calls: 6 },
  ]);
  assert.equal(trace.scenario.failures, 2);
  assert.equal(trace.scenario.resetTimeout, 2.5);
  assert.equal(trace.scenario.speed, SPEED);
  assert.deepEqual(
    trace.runs.map((run) => run.library),
    ['opossum', 'cockatiel', 'mollitia'],
  );
  for (const run of trace.runs) {
    assert.equal(run.calls.length, 12);
    // Open after 2 failures, 2.5 s open, calls 0.5 s apart: the model, on this run's own call times.
    assert.deepEqual(
      run.calls.map(({ call, outcome, state, trial }) => ({ call, outcome, state, trial })),
      consecutiveModel(trace.scenario, run.calls),
      run.library,
    );
  }
});

test("--seed-format prints the seed's lines, one library after another", async () => {
  const result = await runScript(LAB, ['--seed-format', ...FAST]);
  assert.equal(result.code, 0, result.stderr);
  const blocks = result.stdout.trim().split('\n\n');
  assert.equal(blocks.length, 3);
  for (const [index, library] of ['opossum', 'cockatiel', 'mollitia'].entries()) {
    const lines = (blocks[index] ?? '').split('\n');
    assert.match(lines[0] ?? '', new RegExp(`^# ${library} \\d`));
    assert.equal(lines[1], 'Server is turned OFF...');
    assert.equal(lines[12], 'Server is turning ON...');
    const states = lines
      .filter((line) => line.startsWith('get_greeting'))
      .map((line) => /state: ([a-z-]+)\./.exec(line)?.[1]);
    // With the server off every call fails or is rejected: closed, closed, then open to call 10.
    // The trial that closes the circuit comes by call 15 at the latest (a stalled machine only
    // brings it earlier), and the circuit stays closed from then on.
    assert.deepEqual(states.slice(0, 10), ['closed', 'closed', ...Array<string>(8).fill('open')]);
    assert.deepEqual(states.slice(14), Array<string>(6).fill('closed'));
    const closedFrom = states.indexOf('closed', 10);
    assert.ok(closedFrom >= 10 && closedFrom <= 14);
    assert.ok(states.slice(closedFrom).every((state) => state === 'closed'));
  }
});

test('--help lists every option with its default', async () => {
  const result = await runScript(LAB, ['--help']);
  assert.equal(result.code, 0);
  for (const option of [
    '--library',
    '--failures <n>',
    '--reset-timeout',
    '--delay',
    '--request-timeout',
    '--schedule',
    '--speed',
    '--json',
    '--seed-format',
    '--port',
  ]) {
    assert.ok(result.stdout.includes(option), option);
  }
  assert.match(result.stdout, /default 3\)/);
  assert.match(result.stdout, /default off:10,on:10/);
});

const BAD_INPUT: [string[], RegExp][] = [
  [
    ['--fast'],
    /^error: unknown option --fast; valid options: --scenario <file>, --library <names>, /,
  ],
  [
    ['--library', 'hystrix'],
    /^error: --library: unknown library "hystrix"; valid: opossum, cockatiel, mollitia/,
  ],
  [['--failures', '0'], /^error: --failures must be a whole number >= 1, got "0"$/],
  [['--failures', '2.5'], /^error: --failures must be a whole number >= 1, got "2.5"$/],
  [['--reset-timeout', '-1'], /^error: --reset-timeout must be a number > 0, got "-1"$/],
  [['--delay', 'soon'], /^error: --delay must be a number > 0, got "soon"$/],
  [['--request-timeout', '0'], /^error: --request-timeout must be a number > 0, got "0"$/],
  [['--speed', '0'], /^error: --speed must be a number > 0, got "0"$/],
  [
    ['--schedule', 'off:10,up'],
    /^error: --schedule: "up" is not a phase; expected comma-separated phases/,
  ],
  [['--schedule', 'sideways:3'], /^error: --schedule: "sideways:3" has an unknown server setting/],
  [['--schedule', 'off:0'], /^error: --schedule: "off:0" is not a phase/],
  [['--port', '70000'], /^error: --port must be a whole number from 0 to 65535, got "70000"$/],
  [['--failures'], /^error: --failures needs a value/],
  [['--json', '--seed-format'], /^error: --json and --seed-format are two outputs; choose one$/],
  [
    ['--scenario', 'scenarios/nope.json'],
    /^error: --scenario scenarios\/nope\.json: no such file$/,
  ],
  [['--concurrency', '0'], /^error: --concurrency must be a whole number >= 1, got "0"$/],
  [
    ['--ignore-status', '200'],
    /^error: --ignore-status: "200" is not an HTTP error status; expected codes 400-599/,
  ],
];

for (const [args, message] of BAD_INPUT) {
  test(`bad input ${args.join(' ')} is refused with one line naming the option`, () => {
    assert.throws(
      () => parseLabOptions(args),
      (error) => isInputError(error) && message.test(`error: ${error.message}`),
    );
  });
}

test('bad input on the command line: one line on stderr, nothing on stdout, exit code 2', async () => {
  const result = await runScript(LAB, ['--failures', '0']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, 'error: --failures must be a whole number >= 1, got "0"\n');
});

test('--scenario runs a scenario file and --report writes its timeline page', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lab-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const report = join(dir, 'hang.html');
  const result = await runScript(LAB, [
    '--scenario',
    'scenarios/hang.json',
    ...FAST,
    '--json',
    '--report',
    report,
  ]);
  assert.equal(result.code, 0, result.stderr);
  const trace = JSON.parse(result.stdout) as { scenario: { schedule: unknown } };
  assert.deepEqual(trace.scenario.schedule, [
    { server: 'hang', calls: 8 },
    { server: 'on', calls: 3 },
  ]);
  const html = await readFile(report, 'utf8');
  assert.match(html, /^<!doctype html>/i);
  assert.ok(html.includes('hang'));
});

test('a bad scenario file is one line naming the file, the field and the value', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lab-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'bad.json');
  await writeFile(
    file,
    JSON.stringify({ title: 't', question: 'q', schedule: 'off:3', failures: 0 }),
  );
  assert.throws(
    () => parseLabOptions(['--scenario', file]),
    (error) =>
      isInputError(error) &&
      error.message === `--scenario ${file}: "failures" must be a whole number >= 1, got 0`,
  );
});

test('--library fleet with a malformed REDIS_URL is refused before anything runs', async (t) => {
  const saved = process.env['REDIS_URL'];
  process.env['REDIS_URL'] = 'http://x';
  t.after(() => {
    if (saved === undefined) delete process.env['REDIS_URL'];
    else process.env['REDIS_URL'] = saved;
  });
  await assert.rejects(
    main(['--library', 'fleet', ...FAST]),
    (error) =>
      isInputError(error) &&
      error.message ===
        '--library fleet: REDIS_URL must look like redis://host:port, got "http://x/"',
  );
});

test('Ctrl-C stops the run, prints the summary so far and exits 130', async () => {
  let sent = false;
  const result = await runScript(LAB, FAST, {
    onStdout: (text, child) => {
      // Interrupt once the fourth call's row is out.
      if (!sent && /\n\s+4\s/.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stdout, /Interrupted: the summary covers the calls made so far\./);
  assert.ok(!/\n\s+20\s/.test(result.stdout), 'the run stopped early');
  assert.match(result.stdout, /\nopossum\s+\d+\.\d+\.\d+\s+0\s+\d+\s+0\s+1\s/);
});

test('a reader that goes away (npm start | head) ends the run quietly, without a stack trace', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', LAB, ...FAST], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.once('data', () => child.stdout.destroy());
  const [code] = (await once(child, 'close')) as [number | null];
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
