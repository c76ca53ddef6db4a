import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { connectedCircuit, inspector, privateRedis, uniqueNamespace } from './helpers/redis.ts';
import { waitUntil } from './helpers/timing.ts';

/** Long enough for the link to try to resume three times (once a second). */
const WATCH_MS = 3500;

/** Redis states that answer reads and refuse writes, and how to end each. */
const UNWRITABLE: Record<
  string,
  { start(redis: Redis): Promise<unknown>; end(redis: Redis): Promise<unknown> }
> = {
  'a read-only replica (after a failover)': {
    // A master nobody runs: the server stays a replica that serves reads and refuses writes.
    start: (redis) => redis.call('REPLICAOF', '127.0.0.1', '1'),
    end: (redis) => redis.call('REPLICAOF', 'NO', 'ONE'),
  },
  'a full Redis (maxmemory with noeviction)': {
    start: async (redis) => {
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      await redis.config('SET', 'maxmemory', '1');
    },
    end: (redis) => redis.config('SET', 'maxmemory', '0'),
  },
};

async function connectionsReceived(redis: Redis): Promise<number> {
  return Number(/total_connections_received:(\d+)/.exec(await redis.info('stats'))?.[1]);
}

for (const [what, { start, end }] of Object.entries(UNWRITABLE)) {
  test(`${what} is one outage with one log line, not a flapping one`, async (t) => {
    const redis = await privateRedis(t);
    const admin = inspector(t, redis.url);
    const lines: string[] = [];
    const circuit = await connectedCircuit(t, {
      name: 'prices',
      namespace: uniqueNamespace('unwritable'),
      redisUrl: redis.url,
      failures: 3,
      resetTimeoutMs: 60_000,
      log: (line) => lines.push(line),
    });
    await start(admin);
    const connectionsBefore = await connectionsReceived(admin);
    const modes = new Set<string>();
    let reached = 0;
    const watchUntil = performance.now() + WATCH_MS;
    while (performance.now() < watchUntil) {
      await circuit
        .execute(() => {
          reached += 1;
          return Promise.reject(new Error('dependency down'));
        })
        .catch(() => {});
      modes.add(circuit.mode);
      await sleep(50);
    }
    assert.deepEqual([...modes], ['local'], 'on the local breaker throughout');
    assert.equal(
      await connectionsReceived(admin),
      connectionsBefore,
      'no reconnection churn while Redis refuses writes',
    );
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.match(lines[0] ?? '', /unreachable/);
    assert.equal(reached, 1 + 3, 'the call that found Redis unwritable, then one local threshold');

    await end(admin);
    await waitUntil('the circuit resumes the shared state', () => circuit.mode === 'shared');
    assert.equal(lines.length, 2);
    assert.match(lines[1] ?? '', /is back/);
  });
}
