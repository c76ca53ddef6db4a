import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { test } from 'node:test';
import { runScript } from './helpers/run-command.ts';

const CLI = 'src/cli/fleet.ts';
const SHORT = ['--workers', '1', '--up', '0.2', '--down', '0.5', '--reset-timeout', '0.2'];

/** A loopback URL where nothing listens: a port that was free a moment ago. */
async function deadRedisUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  assert.ok(address !== null && typeof address === 'object');
  return `redis://127.0.0.1:${address.port}`;
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
  assert.match(lines[0] ?? '', pattern);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
}

test('--mode shared with nothing listening at REDIS_URL prints one line and exits 2', async () => {
  const result = await runScript(CLI, ['--mode', 'shared', ...SHORT], {
    env: { REDIS_URL: await deadRedisUrl() },
  });
  assert.equal(result.code, 2);
  assertOneLine(
    result.stderr,
    /^error: --mode shared needs Redis: no Redis answers at redis:\/\/127\.0\.0\.1:\d+ .*REDIS_URL/,
  );
  assert.equal(result.stdout, '');
});

test('--mode shared with a REDIS_URL that is not a Redis URL prints one line and exits 2', async () => {
  const result = await runScript(CLI, ['--mode', 'shared', ...SHORT], {
    env: { REDIS_URL: 'localhost:6379' },
  });
  assert.equal(result.code, 2);
  assertOneLine(
    result.stderr,
    /^error: REDIS_URL must look like redis:\/\/host:port, got "localhost:6379"/,
  );
});

test('without --mode and Redis unreachable, one line says so and the local mode runs alone', async () => {
  const result = await runScript(CLI, SHORT, { env: { REDIS_URL: await deadRedisUrl() } });
  assert.equal(result.code, 0, result.stderr);
  const redisLines = result.stderr.split('\n').filter((line) => /redis/i.test(line));
  assert.equal(redisLines.length, 1, `one line about Redis, got:\n${result.stderr}`);
  assert.match(redisLines[0] ?? '', /no Redis answers at .*running local mode only/);
  assert.match(result.stdout, /calls that reached the server while down/);
  assert.match(result.stdout, /^\s+local$/m, 'a local column only');
  assert.match(result.stdout, /shared mode not run: no Redis answers/);
});
