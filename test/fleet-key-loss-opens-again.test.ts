import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import type { Redis } from 'ioredis';
import { isCircuitOpenError } from 'shared-circuit';
import { circuitKeys, type CircuitKeys } from '../packages/shared-circuit/src/circuit-keys.ts';
import { connectedCircuit, inspector, privateRedis, uniqueNamespace } from './helpers/redis.ts';
import { waitUntil } from './helpers/timing.ts';

const THRESHOLD = 3;
const CALLS = 20;

/** Ways production loses the circuit's key. */
const LOSSES: Record<string, (redis: Redis, keys: CircuitKeys) => Promise<unknown>> = {
  DEL: (redis, keys) => redis.del(keys.state),
  FLUSHALL: (redis) => redis.flushall(),
  'its expiry': async (redis, keys) => {
    await redis.pexpire(keys.state, 1);
    await waitUntil('the key expired', async () => (await redis.exists(keys.state)) === 0);
  },
  // volatile-ttl evicts keys with a TTL, the circuit's among them, and never the filler (no TTL).
  'eviction under maxmemory': async (redis, keys) => {
    const used = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
    await redis.config('SET', 'maxmemory-policy', 'volatile-ttl');
    await redis.config('SET', 'maxmemory', String(used + 256 * 1024));
    const filler = 'x'.repeat(10_000);
    for (let i = 0; i < 100 && (await redis.exists(keys.state)) === 1; i += 1) {
      await redis.set(`filler:${i}`, filler).catch(() => {}); // OOM once nothing is left to evict
    }
    assert.equal(await redis.exists(keys.state), 0, 'the circuit was evicted');
    await redis.config('SET', 'maxmemory', '0');
  },
};

for (const [loss, lose] of Object.entries(LOSSES)) {
  test(`after ${loss} of the circuit's key, the fleet opens again at the threshold`, async (t) => {
    const redis = await privateRedis(t);
    const namespace = uniqueNamespace('key-loss');
    const options = {
      name: 'billing',
      namespace,
      redisUrl: redis.url,
      failures: THRESHOLD,
      resetTimeoutMs: 60_000,
    };
    const caller = await connectedCircuit(t, options);
    const other = await connectedCircuit(t, options);
    const fail = () => caller.execute(() => Promise.reject(new Error('dependency down')));
    // A history of changes, so each process holds a version well above a fresh key's first ones.
    for (let round = 0; round < 4; round += 1) {
      await assert.rejects(fail(), /dependency down/);
      await assert.rejects(fail(), /dependency down/);
      await caller.execute(() => Promise.resolve('ok'));
    }
    await lose(inspector(t, redis.url), circuitKeys(namespace, 'billing'));

    let reached = 0;
    for (let i = 0; i < CALLS; i += 1) {
      await assert.rejects(
        caller.execute(() => {
          reached += 1;
          return Promise.reject(new Error('dependency down'));
        }),
        (error) => isCircuitOpenError(error) || /dependency down/.test(String(error)),
      );
    }
    assert.equal(reached, THRESHOLD, `${reached} of ${CALLS} calls reached the dead dependency`);
    assert.equal(caller.state, 'open');
    await waitUntil('the other process sees the circuit open', () => other.state === 'open');
  });
}
