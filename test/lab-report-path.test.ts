import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isInputError } from '../src/input-error.ts';
import { checkReportPath, reportPathFrom } from '../src/report/timeline/report-path.ts';
import { ROOT, runScript } from './helpers/run-command.ts';
import { SPEED } from './helpers/timing.ts';

const LAB = 'src/cli/lab.ts';
const FAST = ['--speed', String(SPEED), '--port', '0', '--schedule', 'off:2'];

test('a report path in a folder that does not exist is refused, and the folder is not created', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'report-path-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'typo', 'timeline.html');
  assert.throws(
    () => checkReportPath(file),
    (error) =>
      isInputError(error) &&
      error.message === `the folder ${join(dir, 'typo')} does not exist; create it first`,
  );
  await assert.rejects(stat(join(dir, 'typo')), { code: 'ENOENT' });
});

test('a report path the system will not let us write is refused', () => {
  assert.throws(
    () => checkReportPath('/proc/x.html'),
    (error) =>
      isInputError(error) && /^cannot write \/proc\/x\.html \(E[A-Z]+\)$/.test(error.message),
  );
});

test('a report path that is a folder is refused', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'report-path-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'page.html'));
  assert.throws(
    () => checkReportPath(join(dir, 'page.html')),
    (error) =>
      isInputError(error) && error.message === `${join(dir, 'page.html')} is a folder, not a file`,
  );
});

test('checking a writable path leaves no file behind and an existing file unchanged', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'report-path-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  checkReportPath(join(dir, 'new.html'));
  await assert.rejects(stat(join(dir, 'new.html')), { code: 'ENOENT' });
  await writeFile(join(dir, 'old.html'), 'kept');
  checkReportPath(join(dir, 'old.html'));
  assert.equal(await readFile(join(dir, 'old.html'), 'utf8'), 'kept');
});

test('a relative report path is taken from where npm was started (INIT_CWD), not the project root', () => {
  assert.equal(
    reportPathFrom('out/t.html', { INIT_CWD: '/home/me/work' }),
    '/home/me/work/out/t.html',
  );
  assert.equal(reportPathFrom('/abs/t.html', { INIT_CWD: '/home/me/work' }), '/abs/t.html');
  assert.equal(reportPathFrom('t.html', {}), join(process.cwd(), 't.html'));
});

test('an unwritable --report path: one line, exit code 2, before the run starts', async () => {
  const started = performance.now();
  const result = await runScript(LAB, ['--report', '/proc/x.html', ...FAST]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '', 'nothing ran');
  assert.match(result.stderr, /^error: --report: cannot write \/proc\/x\.html \(E[A-Z]+\)\n$/);
  assert.ok(performance.now() - started < 30_000);
  const missing = await runScript(LAB, ['--report', 'no-such-folder/x.html', ...FAST]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stdout, '');
  assert.match(
    missing.stderr,
    /^error: --report: the folder .*no-such-folder does not exist; create it first\n$/,
  );
});

test("docs/faults-and-matrix.md's report command, run through npm from a subfolder, writes where it says and prettier ignores it", async (t) => {
  // `cd reports && npm start -- --report here.html`: npm runs the lab in the project root.
  const name = `readme-check-${process.pid}.html`;
  const file = join(ROOT, 'reports', name);
  t.after(() => rm(file, { force: true }));
  const child = spawn('npm', ['start', '-s', '--', '--report', name, ...FAST], {
    cwd: join(ROOT, 'reports'),
    env: { ...process.env, NO_COLOR: '1', INIT_CWD: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  assert.equal(code, 0, stdout);
  assert.ok(stdout.includes(`Timeline report written to ${file}`), stdout);
  assert.match(await readFile(file, 'utf8'), /^<!doctype html>/);

  // Generated pages never fail `prettier --check .`, wherever they are written.
  const info = spawn(join(ROOT, 'node_modules/.bin/prettier'), ['--file-info', `reports/${name}`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let json = '';
  info.stdout.setEncoding('utf8').on('data', (chunk: string) => (json += chunk));
  await once(info, 'close');
  assert.equal((JSON.parse(json) as { ignored: boolean }).ignored, true);
  const root = spawn(join(ROOT, 'node_modules/.bin/prettier'), ['--file-info', 'timeline.html'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let rootJson = '';
  root.stdout.setEncoding('utf8').on('data', (chunk: string) => (rootJson += chunk));
  await once(root, 'close');
  assert.equal((JSON.parse(rootJson) as { ignored: boolean }).ignored, true);
});
