import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import type { Redis } from 'ioredis';
import { connectedCircuit, inspector, privateRedis, uniqueNamespace } from './helpers/redis.ts';
import { waitUntil } from './helpers/timing.ts';

/** Commands Redis has processed from clients, scripts' inner calls and the INFO asking included. */
async function commandsProcessed(redis: Redis): Promise<number> {
  return Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1]);
}

/** Transition scripts run so far (each is one EVALSHA). */
async function scriptRuns(redis: Redis): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(/cmdstat_evalsha:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

test('successful calls on a closed circuit cost no Redis round trip; only the first success after a failure resets the count', async (t) => {
  const redis = await privateRedis(t);
  const circuit = await connectedCircuit(t, {
    name: 'catalogue',
    namespace: uniqueNamespace('no-round-trip'),
    redisUrl: redis.url,
    failures: 3,
    resetTimeoutMs: 60_000,
  });
  const stats = inspector(t, redis.url);
  const ok = () => circuit.execute(() => Promise.resolve('ok'));

  const before = await commandsProcessed(stats);
  for (let i = 0; i < 100; i += 1) await ok();
  assert.equal(await commandsProcessed(stats), before + 1, '100 successes: no command but INFO');

  const scriptsBefore = await scriptRuns(stats);
  await assert.rejects(circuit.execute(() => Promise.reject(new Error('down'))));
  assert.equal(await scriptRuns(stats), scriptsBefore + 1, 'the failure: one script');
  await ok(); // resets the fleet's count of consecutive failures, without waiting for Redis
  await waitUntil(
    'the reset reached Redis',
    async () => (await scriptRuns(stats)) === scriptsBefore + 2,
  );
  for (let i = 0; i < 100; i += 1) await ok();
  assert.equal(await scriptRuns(stats), scriptsBefore + 2, 'then nothing again');
});
