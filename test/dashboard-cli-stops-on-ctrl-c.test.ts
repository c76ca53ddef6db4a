import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { test } from 'node:test';
import { DASHBOARD_COMMAND, parseDashboardOptions } from '../src/cli/dashboard.ts';
import { isUsageError } from '../src/cli/usage-error.ts';
import { redisUrl } from './helpers/redis.ts';
import { REDIS_MISSING } from './helpers/redis-test.ts';
import { ROOT, runScript } from './helpers/run-command.ts';
import { PAGE_DEADLINE_MS } from './helpers/timing.ts';

const cases: [string[], RegExp][] = [
  [['--bogus'], /^unknown option --bogus; valid options: --port <n>, --failures <n>/],
  [['--port', '70000'], /^--port must be a whole number from 0 to 65535, got "70000"$/],
  [['--failures', '0'], /^--failures must be a whole number >= 1, got "0"$/],
  [['--delay', '0.001'], /^--delay must be a number of seconds from 0.01 to 3600, got "0.001"$/],
  [['--reset-timeout', '-1'], /^--reset-timeout must be a number > 0, got "-1"$/],
  [['--window', 'long'], /^--window must be a number > 0, got "long"$/],
];

for (const [args, message] of cases) {
  test(`dashboard options: ${args.join(' ')} is refused with a message naming the problem`, () => {
    assert.throws(
      () => parseDashboardOptions(args),
      (error) => isUsageError(error) && message.test(error.message),
    );
  });
}

test('dashboard options: the help lists every option the parser accepts', () => {
  for (const option of [
    '--port',
    '--failures',
    '--reset-timeout',
    '--delay',
    '--request-timeout',
    '--window',
    '--no-fleet',
    '--help',
  ]) {
    assert.match(DASHBOARD_COMMAND.help, new RegExp(`^  ${option}\\b`, 'm'));
  }
  assert.deepEqual(parseDashboardOptions(['--delay', '0.2', '--port', '0']), {
    port: 0,
    settings: { delayMs: 200 },
    fleet: true,
    help: false,
  });
});

test('npm run dashboard with bad input prints one line and exits 2', async () => {
  const result = await runScript('src/cli/dashboard.ts', ['--port', 'x']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, 'error: --port must be a whole number from 0 to 65535, got "x"\n');
});

test('npm run dashboard prints the page URL first, and Ctrl-C stops callers, servers and streams so it exits by itself', async (t) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/dashboard.ts', '--port', '0', '--delay', '0.05'],
    {
      cwd: ROOT,
      // With a Redis the shared circuit runs too; without one the dashboard leaves it out and says so.
      env: {
        ...process.env,
        ...(REDIS_MISSING ? {} : { REDIS_URL: await redisUrl(t) }),
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  t.after(() => clearTimeout(killer));
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const first = stdout.split('\n');
      if (first.length > 1) resolve(first[0] ?? '');
    });
    child.once('exit', () => reject(new Error(`exited before printing a URL: ${stderr}`)));
  });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);

  // A page's stream, open while Ctrl-C arrives: it must end, not hold the process.
  const streamEnded = new Promise<string>((resolve, reject) => {
    get(`${url}events`, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.once('close', () => resolve(text));
    }).once('error', reject);
  });
  // Wait until every caller, the shared circuit included, has reported a call on the stream.
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>Circuit breakers, live<\/title>/);
  const deadline = Date.now() + PAGE_DEADLINE_MS;
  for (;;) {
    const seen = await new Promise<string>((resolve) => {
      get(`${url}events`, (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        setTimeout(() => {
          response.destroy();
          resolve(text);
        }, 100);
      });
    });
    const called = ['opossum', 'cockatiel', 'mollitia', 'fleet'].every(
      (library) =>
        seen.includes(`"type":"call","at":`) && seen.includes(`"library":"${library}","outcome"`),
    );
    if (called) break;
    assert.ok(Date.now() < deadline, `not every library called in time: ${seen.slice(0, 400)}`);
  }

  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 0, stderr);
  assert.match(await streamEnded, /"type":"hello"/);
  assert.match(stdout, /Stopped: callers, mock server and page\.\n$/);
  await assert.rejects(fetch(url), 'the page port is closed');
});
