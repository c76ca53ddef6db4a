import assert from 'node:assert/strict';
import { SENTINEL_MISSING, test } from './helpers/redis-test.ts';
import { connectedCircuit, inspector, privateRedis, uniqueNamespace } from './helpers/redis.ts';
import { failOver, startRedisSentinel } from './helpers/redis-sentinel.ts';
import { FLEET_DEADLINE_MS, waitUntil } from './helpers/timing.ts';

test(
  'circuits find their master through a real Sentinel, and follow it through a failover to the replica',
  { skip: SENTINEL_MISSING ?? false },
  async (t) => {
    const master = await privateRedis(t);
    const replica = await privateRedis(t);
    const replicaAdmin = inspector(t, replica.url);
    // Redis 7 waits 5 s for more replicas before a diskless full sync: none are coming.
    await inspector(t, master.url).config('SET', 'repl-diskless-sync-delay', '0');
    await replicaAdmin.call('REPLICAOF', '127.0.0.1', String(master.port));
    await waitUntil(
      'the replica is in sync',
      async () => /master_link_status:up/.test(await replicaAdmin.info('replication')),
      20_000,
    );
    const sentinel = await startRedisSentinel(t, master.port);
    const namespace = uniqueNamespace('sentinel');
    const options = (name: string) => ({
      name,
      namespace,
      redisUrl: sentinel.url,
      failures: 1,
      resetTimeoutMs: 60_000,
    });
    const here = await connectedCircuit(t, options('payments'));
    const there = await connectedCircuit(t, {
      ...options('payments'),
      connectTimeoutMs: FLEET_DEADLINE_MS + 1, // another process: a connection pair of its own
    });
    await assert.rejects(
      here.execute(() => Promise.reject(new Error('down'))),
      /down/,
    );
    await waitUntil('the other process sees the circuit open', () => there.state === 'open');

    // Replication is asynchronous: a write the replica has not received yet is lost in a failover.
    await waitUntil(
      'the replica has the open circuit',
      async () => (await replicaAdmin.hget(`${namespace}:{payments}:state`, 'state')) === 'open',
    );
    // A failover: the sentinel promotes the replica, and the old master becomes its replica.
    await failOver(sentinel, replica.port, replicaAdmin, 4);
    const hereAfter = await connectedCircuit(t, options('search'));
    const thereAfter = await connectedCircuit(t, {
      ...options('search'),
      connectTimeoutMs: FLEET_DEADLINE_MS + 1,
    });
    await waitUntil(
      'both processes are back on the shared state',
      () => here.mode === 'shared' && there.mode === 'shared',
      20_000,
    );
    await assert.rejects(
      hereAfter.execute(() => Promise.reject(new Error('down'))),
      /down/,
    );
    await waitUntil(
      'the other process sees the new circuit open',
      () => thereAfter.state === 'open',
    );
    assert.equal(there.state, 'open', 'the state replicated before the failover is kept');
    assert.equal(
      await replicaAdmin.hget(`${namespace}:{search}:state`, 'state'),
      'open',
      'written on the promoted replica',
    );
  },
);
