import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { test } from './helpers/redis-test.ts';
import { isCircuitOpenError } from 'shared-circuit';
import { SharedCircuits, type SharedCircuitsOptions } from 'shared-circuit';
import { isSharedCircuitOptionsError } from 'shared-circuit';
import { cleanUp, inspector, privateRedis, redisUrl, uniqueNamespace } from './helpers/redis.ts';
import { FLEET_DEADLINE_MS, waitUntil } from './helpers/timing.ts';

function registry(t: TestContext, options: SharedCircuitsOptions): SharedCircuits {
  const circuits = new SharedCircuits({
    log: () => {},
    redisTimeoutMs: FLEET_DEADLINE_MS,
    connectTimeoutMs: FLEET_DEADLINE_MS,
    ...options,
  });
  cleanUp(t, () => circuits.dispose());
  return circuits;
}

const fail = () => Promise.reject(new Error('host down'));

test('each key has its own circuit, shared by key across processes: a failing host opens only its own', async (t) => {
  const url = await redisUrl(t);
  const options = { namespace: uniqueNamespace('keyed'), redisUrl: url, failures: 2 };
  const here = registry(t, { ...options, resetTimeoutMs: 60_000 });
  // A connect timeout of its own gives it its own connection pair, as another process has.
  const there = registry(t, {
    ...options,
    resetTimeoutMs: 60_000,
    connectTimeoutMs: FLEET_DEADLINE_MS + 1,
  });
  for (const key of ['api.example.com', 'cdn.example.com']) await there.get(key).ready();

  await assert.rejects(here.get('api.example.com').execute(fail));
  await assert.rejects(here.get('api.example.com').execute(fail));
  assert.equal(here.get('api.example.com'), here.get('api.example.com'), 'made once per key');
  await waitUntil('the other process sees that host open', () => {
    return there.get('api.example.com').state === 'open';
  });
  await assert.rejects(there.get('api.example.com').execute(fail), isCircuitOpenError);
  assert.equal(await there.get('cdn.example.com').execute(() => Promise.resolve('ok')), 'ok');
  assert.equal(there.get('cdn.example.com').state, 'closed');
  assert.deepEqual(here.keys(), ['api.example.com']);
});

test('200 keys of one process use the one connection pair (CLIENT LIST)', async (t) => {
  const redis = await privateRedis(t);
  const circuits = registry(t, {
    namespace: uniqueNamespace('keyed'),
    redisUrl: redis.url,
    failures: 3,
    resetTimeoutMs: 60_000,
  });
  const keys = Array.from({ length: 200 }, (_, index) => `host-${index}.example.com`);
  const modes = await Promise.all(keys.map((key) => circuits.get(key).ready()));
  assert.ok(modes.every((mode) => mode === 'shared'));
  const clients = (await inspector(t, redis.url).client('LIST')) as string;
  const names = [...clients.matchAll(/ name=(\S*)/g)].map((match) => match[1]).sort();
  assert.deepEqual(
    names.filter((name) => name?.startsWith('shared-circuit')),
    ['shared-circuit:commands', 'shared-circuit:transitions'],
  );
  assert.equal(circuits.size, 200);
});

test('a key not asked for in idleMs is forgotten (on the injected clock), and comes back with the state the fleet kept', async (t) => {
  const url = await redisUrl(t);
  let now = 0;
  const circuits = registry(t, {
    namespace: uniqueNamespace('keyed'),
    redisUrl: url,
    failures: 1,
    resetTimeoutMs: 60_000,
    idleMs: 1000,
    now: () => now,
  });
  const old = circuits.get('old.example.com');
  await assert.rejects(old.execute(fail));
  assert.equal(old.state, 'open');
  now = 600;
  await circuits.get('busy.example.com').ready();
  now = 1100; // old idle 1100 ms, busy 500 ms
  circuits.get('busy.example.com');
  assert.deepEqual(circuits.keys(), ['busy.example.com']);
  assert.equal(old.mode, 'disposed');

  const again = circuits.get('old.example.com');
  assert.notEqual(again, old);
  await again.ready();
  assert.equal(again.state, 'open', 'its state stayed in Redis');
});

test('a bad key is refused with an error naming it, before anything connects', (t) => {
  const circuits = registry(t, { failures: 1, resetTimeoutMs: 1000 });
  assert.throws(
    () => circuits.get('api example.com/v1'),
    (error) =>
      isSharedCircuitOptionsError(error) &&
      error.message ===
        'key must be letters, digits, "_", "-", ".", ":", "[" or "]", got "api example.com/v1"',
  );
  assert.throws(() => circuits.get('x'.repeat(300)), /key must be at most 255 characters/);
  assert.throws(
    () => new SharedCircuits({ failures: 1, resetTimeoutMs: 1000, idleMs: 0 }),
    /^SharedCircuitOptionsError: idleMs must be a number of milliseconds > 0 and <= 2147483647, got 0$/,
  );
  assert.equal(circuits.size, 0);
});
