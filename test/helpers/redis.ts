import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { startFaultProxy, type FaultProxy } from '../../src/faults/fault-proxy.ts';
import { startRedisServer, type RedisServer } from './redis-server.ts';
import { SharedCircuit } from 'shared-circuit';
import type { SharedCircuitOptions } from 'shared-circuit';
import { FLEET_DEADLINE_MS } from './timing.ts';

/**
 * The Redis the fleet tests share: REDIS_URL when set (CI starts one, see .ci/run), otherwise a
 * redis-server of this test file's own, stopped when the test ends. Tests keep apart by namespace.
 */
export async function redisUrl(t: TestContext): Promise<string> {
  const url = process.env['REDIS_URL'];
  if (url !== undefined && url.trim() !== '') return url;
  return (await privateRedis(t)).url;
}

/** A redis-server only this test uses, for tests that stop and restart it. Killed when the test ends. */
export async function privateRedis(t: TestContext): Promise<RedisServer> {
  const server = await startRedisServer();
  cleanUp(t, () => server[Symbol.asyncDispose]());
  return server;
}

const cleanups = new WeakMap<TestContext, (() => unknown)[]>();

/**
 * Registers teardown to run last-in, first-out (node:test runs `after` hooks in order), so clients
 * disconnect before the Redis server they use is killed.
 */
export function cleanUp(t: TestContext, teardown: () => unknown): void {
  let stack = cleanups.get(t);
  if (!stack) {
    const created: (() => unknown)[] = [];
    stack = created;
    cleanups.set(t, created);
    t.after(async () => {
      for (const step of created.reverse()) await step();
    });
  }
  stack.push(teardown);
}

/**
 * A namespace no other test (or earlier run against the same Redis) uses. Its keys stay: for a
 * Redis the test starts itself, which takes them with it. On the shared one (`redisUrl`), use
 * `cleanedNamespace` (redis-namespace.ts), which deletes them when the test ends.
 */
export function uniqueNamespace(test: string): string {
  return `test-${test}-${randomUUID().slice(0, 8)}`;
}

/** A SharedCircuit on the test's Redis, connected (or the test fails), disposed when the test ends. */
export async function connectedCircuit(
  t: TestContext,
  options: SharedCircuitOptions,
): Promise<SharedCircuit> {
  // Generous Redis timeouts: on a loaded CI machine a slow reply must not pass for an outage.
  const circuit = new SharedCircuit({
    log: () => {},
    redisTimeoutMs: FLEET_DEADLINE_MS,
    connectTimeoutMs: FLEET_DEADLINE_MS,
    ...options,
  });
  cleanUp(t, () => circuit.dispose());
  const mode = await circuit.ready();
  if (mode !== 'shared') throw new Error(`circuit ${options.name} did not reach Redis`);
  return circuit;
}

/** A plain Redis connection for reading the circuit's keys, closed when the test ends. */
export function inspector(t: TestContext, url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {}); // a test that stops Redis asserts on the circuit, not on this connection
  cleanUp(t, () => redis.disconnect());
  return redis;
}

/**
 * Deletes every key of `namespace` when the test ends (before `redis` disconnects, registered
 * after it), so a test leaves nothing behind on a shared Redis.
 */
export function dropKeysAfter(t: TestContext, redis: Redis, namespace: string): void {
  cleanUp(t, async () => {
    const keys = await redis.keys(`${namespace}:*`).catch(() => []);
    if (keys.length > 0) await redis.del(...keys).catch(() => {});
  });
}

/** A fault proxy in front of the Redis at `url` (loopback), closed when the test ends. */
export async function proxiedRedis(
  t: TestContext,
  url: string,
): Promise<{ proxy: FaultProxy; url: string }> {
  const target = new URL(url);
  const proxy = await startFaultProxy({ targetPort: Number(target.port || 6379) });
  cleanUp(t, () => proxy.close());
  target.hostname = '127.0.0.1';
  target.port = String(proxy.port);
  return { proxy, url: target.href };
}
