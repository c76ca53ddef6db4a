import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { missingRedis, onPath } from '../src/fleet-demo/redis-availability.ts';
import { missingChromium } from '../src/report/timeline/chromium.ts';
import { runScript } from './helpers/run-command.ts';
import { startRedisServer } from './helpers/redis-server.ts';

const NO_REDIS_LINE =
  "no Redis: redis-server is not on the PATH and REDIS_URL is not set; install Debian's redis-server " +
  'package (apt-get install redis-server), or run bash .ci/run, which installs it and runs the tests';

/** A PATH with node on it and nothing else: a machine without redis-server. */
async function pathWithoutRedis(t: import('node:test').TestContext): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'no-redis-path-'));
  t.after(() => rm(folder, { recursive: true, force: true }));
  await symlink(process.execPath, join(folder, 'node'));
  return folder;
}

test('without REDIS_URL or redis-server on the PATH, the Redis line says how to get one', () => {
  assert.equal(missingRedis({ PATH: '/nonexistent' }), NO_REDIS_LINE);
  assert.equal(missingRedis({ PATH: '/nonexistent', REDIS_URL: 'redis://127.0.0.1:1' }), undefined);
  assert.equal(onPath('node', { PATH: `/nonexistent:${join(process.execPath, '..')}` }), true);
});

test('without Chromium, the line names the path, the Debian package and bash .ci/run', () => {
  assert.equal(
    missingChromium('/nonexistent/chromium'),
    "Chromium not found at /nonexistent/chromium: install Debian's chromium package " +
      '(apt-get install chromium), or run bash .ci/run, which installs it and runs the tests',
  );
});

test('starting a private redis-server that is not installed fails with that one line, not ENOENT', async () => {
  await assert.rejects(startRedisServer({ command: 'no-such-redis-server' }), {
    message: /^no-such-redis-server is not on the PATH; install Debian's redis-server package/,
  });
});

test('a Redis test file on a machine without Redis: its tests are skipped with the one line, and pass', async (t) => {
  const result = await runScript(
    '--test',
    ['--test-reporter=tap', 'test/fleet-circuits-by-name-do-not-share.test.ts'],
    // NODE_TEST_CONTEXT unset: the inner run reports on its own stdout, not to this test runner.
    {
      env: {
        PATH: await pathWithoutRedis(t),
        REDIS_URL: undefined,
        NODE_TEST_CONTEXT: undefined,
      },
    },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.ok(result.stdout.includes(`# SKIP ${NO_REDIS_LINE}`), result.stdout);
  assert.match(result.stdout, /^# skipped 1$/m);
  assert.match(result.stdout, /^# fail 0$/m);
});

test('npm run bench without Redis: the fleet benchmark is skipped with the same line, no stack trace', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'bench-no-redis-'));
  t.after(() => rm(out, { recursive: true, force: true }));
  const result = await runScript(
    'bench/run.ts',
    ['--quick', '--only', 'fleet-propagation', '--out', out],
    { env: { PATH: await pathWithoutRedis(t), REDIS_URL: undefined } },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, `fleet-propagation skipped: ${NO_REDIS_LINE}\n`);
});

test('npm run fleet without Redis installed: the one line says how to get it', async (t) => {
  const result = await runScript('src/cli/fleet.ts', ['--mode', 'shared'], {
    env: { PATH: await pathWithoutRedis(t), REDIS_URL: 'redis://127.0.0.1:1' },
  });
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /^error: --mode shared needs Redis: no Redis answers at redis:\/\/127\.0\.0\.1:1 \(.*\); install Debian's redis-server package \(apt-get install redis-server\), or run bash \.ci\/run, which installs it and runs the tests; or set REDIS_URL\n$/,
  );
});
