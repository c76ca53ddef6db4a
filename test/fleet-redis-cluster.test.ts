import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { Cluster } from 'ioredis';
import { circuitKeys } from '../packages/shared-circuit/src/circuit-keys.ts';
import { cleanUp, connectedCircuit, uniqueNamespace } from './helpers/redis.ts';
import { startRedisCluster } from './helpers/redis-cluster.ts';
import { FLEET_DEADLINE_MS, waitUntil } from './helpers/timing.ts';

const NAMES = ['payments', 'search', 'orders', 'stock', 'mail', 'tax'];

test('circuits on a real 3-node Redis Cluster follow its slots: every circuit is shared, whichever node holds it', async (t) => {
  const cluster = await startRedisCluster(t);
  const namespace = uniqueNamespace('cluster');
  const options = (name: string) => ({
    name,
    namespace,
    redisUrl: cluster.url,
    failures: 1,
    resetTimeoutMs: 60_000,
  });
  const here = await Promise.all(NAMES.map((name) => connectedCircuit(t, options(name))));
  // Another process: a connection pair of its own.
  const there = await Promise.all(
    NAMES.map((name) =>
      connectedCircuit(t, { ...options(name), connectTimeoutMs: FLEET_DEADLINE_MS + 1 }),
    ),
  );

  for (const circuit of here) {
    await assert.rejects(
      circuit.execute(() => Promise.reject(new Error('down'))),
      /down/,
    );
  }
  await waitUntil('the other process sees every circuit open', () =>
    there.every((circuit) => circuit.state === 'open'),
  );
  assert.deepEqual(
    [...here, ...there].map((circuit) => circuit.mode),
    Array(2 * NAMES.length).fill('shared'),
  );

  const admin = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
  cleanUp(t, () => admin.disconnect());
  const nodesHolding = new Set<string>();
  for (const name of NAMES) {
    const slot = Number(await admin.call('CLUSTER', 'KEYSLOT', circuitKeys(namespace, name).state));
    const owner = admin.slots[slot]?.[0];
    if (owner !== undefined) nodesHolding.add(owner);
    assert.equal(await admin.hget(circuitKeys(namespace, name).state, 'state'), 'open');
  }
  assert.ok(nodesHolding.size >= 2, `the circuits live on ${nodesHolding.size} node(s)`);

  // A third process that passes its own ioredis Cluster client: the same circuits, on its client.
  const mine = await Promise.all(
    NAMES.map((name) =>
      connectedCircuit(t, { ...options(name), redisUrl: 'unused', redis: admin }),
    ),
  );
  assert.deepEqual(
    mine.map((circuit) => [circuit.mode, circuit.state]),
    Array(NAMES.length).fill(['shared', 'open']),
  );
  assert.equal(admin.status, 'ready', "the caller's client is theirs: still open");
});
