import assert from 'node:assert/strict';
import { test as plainTest } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRedisUrlError, SharedCircuit } from 'shared-circuit';
import { test } from './helpers/redis-test.ts';
import { cleanUp, redisUrl, uniqueNamespace } from './helpers/redis.ts';
import { FLEET_DEADLINE_MS } from './helpers/timing.ts';

/** Long enough for the link to try to resume twice (once a second). */
const WATCH_MS = 2500;

plainTest('a database in the URL that is not a whole number is refused up front', () => {
  for (const redisUrl of [
    'redis://127.0.0.1:6379/abc',
    'redis://127.0.0.1:6379/1.5',
    'redis://127.0.0.1:6379/-1',
    'redis://127.0.0.1:6379?db=two',
  ]) {
    assert.throws(
      () =>
        void new SharedCircuit({
          name: 'quotes',
          failures: 1,
          resetTimeoutMs: 1000,
          redisUrl,
        }).dispose(),
      (error) =>
        isRedisUrlError(error) &&
        error.message ===
          `the database in REDIS_URL must be a whole number >= 0, got "${redisUrl}"`,
      redisUrl,
    );
  }
});

test('a database the server does not have is named in one log line, and the circuit stays local', async (t) => {
  const url = new URL(await redisUrl(t));
  url.pathname = '/99';
  const lines: string[] = [];
  const circuit = new SharedCircuit({
    name: 'quotes',
    namespace: uniqueNamespace('bad-database'),
    redisUrl: url.href,
    failures: 1,
    resetTimeoutMs: 1000,
    redisTimeoutMs: FLEET_DEADLINE_MS,
    connectTimeoutMs: FLEET_DEADLINE_MS,
    log: (line) => lines.push(line),
  });
  cleanUp(t, () => circuit.dispose());
  assert.equal(await circuit.ready(), 'local');
  const modes = new Set<string>();
  const watchUntil = performance.now() + WATCH_MS;
  while (performance.now() < watchUntil) {
    modes.add(circuit.mode);
    await sleep(20);
  }
  assert.deepEqual([...modes], ['local'], 'on the local breaker throughout');
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.match(lines[0] ?? '', /has no database 99 \(ERR DB index is out of range\)/);
  assert.doesNotMatch(lines[0] ?? '', /unreachable/);
});
