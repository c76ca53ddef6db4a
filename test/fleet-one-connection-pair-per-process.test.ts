import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import type { Redis } from 'ioredis';
import { connectedCircuit, inspector, privateRedis, uniqueNamespace } from './helpers/redis.ts';
import { DISPOSE_MAX_MS, waitUntil } from './helpers/timing.ts';

const CIRCUITS = 100;

async function info(redis: Redis, section: string, field: RegExp): Promise<number> {
  return Number(field.exec(await redis.info(section))?.[1] ?? 0);
}

test('100 circuits of one process on one Redis share one connection pair, and their successful calls send no command', async (t) => {
  const redis = await privateRedis(t);
  const admin = inspector(t, redis.url);
  const namespace = uniqueNamespace('connections');
  const circuits = await Promise.all(
    Array.from({ length: CIRCUITS }, (_, index) =>
      connectedCircuit(t, {
        name: `dependency-${index}`,
        namespace,
        redisUrl: redis.url,
        failures: 3,
        resetTimeoutMs: 60_000,
      }),
    ),
  );
  assert.equal(
    await info(admin, 'clients', /connected_clients:(\d+)/),
    2 + 1,
    'commands, pub/sub, and this test',
  );

  const evalsBefore = await info(admin, 'commandstats', /cmdstat_evalsha:calls=(\d+)/);
  const infosBefore = await info(admin, 'commandstats', /cmdstat_info:calls=(\d+)/);
  const processedBefore = await info(admin, 'stats', /total_commands_processed:(\d+)/);
  for (const circuit of circuits) {
    for (let i = 0; i < 10; i += 1) await circuit.execute(() => Promise.resolve('ok'));
  }
  const infos = (await info(admin, 'commandstats', /cmdstat_info:calls=(\d+)/)) - infosBefore;
  assert.equal(await info(admin, 'commandstats', /cmdstat_evalsha:calls=(\d+)/), evalsBefore);
  assert.equal(
    await info(admin, 'stats', /total_commands_processed:(\d+)/),
    processedBefore + infos + 1,
    '1,000 successful calls: no command but the INFOs asking',
  );
});

test('dispose() returns quickly when Redis is down', async (t) => {
  const redis = await privateRedis(t);
  const circuit = await connectedCircuit(t, {
    name: 'archive',
    namespace: uniqueNamespace('dispose'),
    redisUrl: redis.url,
    failures: 3,
    resetTimeoutMs: 60_000,
  });
  await redis.stop();
  await waitUntil('the circuit notices Redis is gone', () => circuit.mode === 'local');
  const started = performance.now();
  await circuit.dispose();
  const took = performance.now() - started;
  assert.ok(took < DISPOSE_MAX_MS, `dispose() took ${Math.round(took)} ms`);
});

test('a disposed circuit stops listening to its channel while others of the process go on', async (t) => {
  const redis = await privateRedis(t);
  const admin = inspector(t, redis.url);
  const namespace = uniqueNamespace('unsubscribe');
  const options = { namespace, redisUrl: redis.url, failures: 3, resetTimeoutMs: 60_000 };
  const kept = await connectedCircuit(t, { ...options, name: 'kept' });
  const channels = async () => (await admin.pubsub('CHANNELS', `${namespace}:*`)).length;
  for (let i = 0; i < 5; i += 1) {
    const passing = await connectedCircuit(t, { ...options, name: `passing-${i}` });
    await passing.dispose();
  }
  await waitUntil('only the kept circuit is subscribed', async () => (await channels()) === 1);
  assert.equal(kept.mode, 'shared');
});
