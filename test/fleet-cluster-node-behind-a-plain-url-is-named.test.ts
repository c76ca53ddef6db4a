import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { SharedCircuit, type SharedCircuitOptions } from 'shared-circuit';
import { test } from './helpers/redis-test.ts';
import { cleanUp, uniqueNamespace } from './helpers/redis.ts';
import { startRedisCluster } from './helpers/redis-cluster.ts';
import { FLEET_DEADLINE_MS } from './helpers/timing.ts';

/** Spread over the cluster's slots: some live on the node the URL names, most elsewhere. */
const NAMES = ['payments', 'search', 'orders', 'stock', 'mail', 'tax'];

/** Long enough for the connection to try to resume once (it tries every second). */
const WATCH_MS = 1500;

/**
 * Circuits for every name on `options`, each with its own log, watched while their callers fail:
 * the modes each went through and the lines each logged.
 */
async function watchCircuits(
  t: TestContext,
  options: Pick<SharedCircuitOptions, 'namespace' | 'redisUrl' | 'redis'>,
): Promise<{ ready: string[]; modes: Set<string>; lines: string[][] }> {
  const lines = NAMES.map(() => [] as string[]);
  const circuits = NAMES.map((name, index) => {
    const circuit = new SharedCircuit({
      ...options,
      name,
      failures: 2,
      resetTimeoutMs: 60_000,
      redisTimeoutMs: FLEET_DEADLINE_MS,
      connectTimeoutMs: FLEET_DEADLINE_MS,
      log: (line) => lines[index]!.push(line),
    });
    cleanUp(t, () => circuit.dispose());
    return circuit;
  });
  const ready = await Promise.all(circuits.map((circuit) => circuit.ready()));
  const modes = new Set<string>();
  const watchUntil = performance.now() + WATCH_MS;
  while (performance.now() < watchUntil) {
    for (const circuit of circuits) {
      await circuit.execute(() => Promise.reject(new Error('dependency down'))).catch(() => {});
      modes.add(circuit.mode);
    }
    await sleep(50);
  }
  return { ready, modes, lines };
}

function assertNamedOnce(lines: readonly string[][], port: number, cause: RegExp): void {
  for (const [index, logged] of lines.entries()) {
    assert.equal(logged.length, 1, `circuit ${NAMES[index]}: ${JSON.stringify(logged)}`);
    const line = logged[0] ?? '';
    assert.match(line, /is a Redis Cluster node/);
    assert.match(line, cause);
    assert.ok(line.includes(`use redis-cluster://127.0.0.1:${port}`), line);
    assert.doesNotMatch(line, /unreachable/);
  }
}

test('a plain redis:// URL that points at a Redis Cluster node is named as one, with the redis-cluster:// URL to use, and every circuit keeps its local breaker without flapping', async (t) => {
  const cluster = await startRedisCluster(t);
  const port = cluster.ports[0]!;

  await t.test('the server says cluster_enabled when the circuits connect', async (t) => {
    const { ready, modes, lines } = await watchCircuits(t, {
      namespace: uniqueNamespace('cluster-node'), // a private cluster, stopped with its keys
      redisUrl: `redis://127.0.0.1:${port}`,
    });
    assert.deepEqual(ready, Array(NAMES.length).fill('local'));
    assert.deepEqual([...modes], ['local'], 'one steady protection, no flapping');
    assertNamedOnce(lines, port, /cluster_enabled/);
  });

  await t.test(
    "a caller's plain client, whose user may not run INFO, gets MOVED for a circuit on another node",
    async (t) => {
      const admin = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
      admin.on('error', () => {});
      cleanUp(t, () => admin.disconnect());
      await admin.call('ACL', 'SETUSER', 'no-info', 'on', '>pw', '~*', '&*', '+@all', '-info');
      const client = new Redis({
        port,
        host: '127.0.0.1',
        username: 'no-info',
        password: 'pw',
        enableReadyCheck: false, // its check is an INFO, which this user may not run
      });
      client.on('error', () => {});
      cleanUp(t, () => client.disconnect());
      const { ready, modes, lines } = await watchCircuits(t, {
        namespace: uniqueNamespace('cluster-node-moved'),
        redis: client,
      });
      assert.deepEqual(ready, Array(NAMES.length).fill('local'));
      assert.deepEqual([...modes], ['local'], 'one steady protection, no flapping');
      assertNamedOnce(lines, port, /MOVED \d+ 127\.0\.0\.1:\d+/);
    },
  );
});
