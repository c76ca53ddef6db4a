import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { test } from './helpers/redis-test.ts';
import { circuitKeys } from '../packages/shared-circuit/src/circuit-keys.ts';
import { parseSnapshot, type Snapshot } from '../packages/shared-circuit/src/snapshot.ts';
import { connectedCircuit, inspector, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { FLEET_DEADLINE_MS, waitUntil } from './helpers/timing.ts';

const CLIENTS = 8;

/** Eight clients of one circuit, each with its own Redis connections, as eight processes would have. */
async function fleetOfEight(t: TestContext, failures: number) {
  const url = await redisUrl(t);
  const namespace = cleanedNamespace(t, url, 'open-once');
  const options = { name: 'payments', namespace, redisUrl: url, failures, resetTimeoutMs: 60_000 };
  // A connect timeout of its own gives each client its own connection pair (circuits of a process
  // share one only when their options match), as eight processes would have.
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, (_, index) =>
      connectedCircuit(t, { ...options, connectTimeoutMs: FLEET_DEADLINE_MS + index }),
    ),
  );
  const keys = circuitKeys(namespace, 'payments');
  const published: Snapshot[] = [];
  const listener = inspector(t, url);
  await listener.subscribe(keys.channel);
  listener.on('message', (_channel: string, message: string) => {
    published.push(parseSnapshot(message));
  });
  return { clients, keys, redis: inspector(t, url), published };
}

/** Each change has a version above the one before, so every process keeps the latest. */
function assertIncreasing(published: readonly Snapshot[]): void {
  published.forEach((snapshot, index) => {
    if (index > 0) assert.ok(snapshot.version > published[index - 1]!.version, 'versions increase');
  });
}

async function failAllAtOnce(
  clients: { execute(action: () => Promise<never>): Promise<unknown> }[],
) {
  const outage = new Error('dependency down');
  const results = await Promise.allSettled(
    clients.map((client) => client.execute(() => Promise.reject(outage))),
  );
  for (const result of results) {
    assert.equal(result.status, 'rejected');
    assert.equal(result.reason, outage, 'each caller sees its own failure, not a Redis error');
  }
}

test('eight clients failing at once with a threshold of eight open the circuit exactly once, count exactly eight', async (t) => {
  const { clients, keys, redis, published } = await fleetOfEight(t, CLIENTS);
  await failAllAtOnce(clients);
  const stored = await redis.hgetall(keys.state);
  assert.equal(stored['state'], 'open');
  assert.equal(stored['failures'], String(CLIENTS));
  await waitUntil('every change is published', () => published.length === CLIENTS);
  assert.equal(stored['version'], String(published.at(-1)?.version), 'one change per failure');
  assertIncreasing(published);
  assert.equal(published.filter((snapshot) => snapshot.state === 'open').length, 1, 'opened once');
  await waitUntil('every client sees the circuit open', () =>
    clients.every((client) => client.state === 'open'),
  );
});

test('eight clients failing at once with a threshold of three open it once and the count stops at three', async (t) => {
  const { clients, keys, redis, published } = await fleetOfEight(t, 3);
  await failAllAtOnce(clients);
  const stored = await redis.hgetall(keys.state);
  assert.equal(stored['state'], 'open');
  assert.equal(stored['failures'], '3');
  await waitUntil('every change is published', () => published.length === 3);
  assert.equal(
    stored['version'],
    String(published.at(-1)?.version),
    'the five failures after the opening changed nothing',
  );
  assertIncreasing(published);
  assert.deepEqual(
    published.map((snapshot) => snapshot.state),
    ['closed', 'closed', 'open'],
  );
});
