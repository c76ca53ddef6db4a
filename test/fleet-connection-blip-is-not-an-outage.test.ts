import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { circuitKeys } from '../packages/shared-circuit/src/circuit-keys.ts';
import type { SharedCircuit } from 'shared-circuit';
import {
  connectedCircuit,
  inspector,
  privateRedis,
  proxiedRedis,
  uniqueNamespace,
} from './helpers/redis.ts';
import { waitUntil } from './helpers/timing.ts';

/** Redis timeout of these tests: a reconnection (about 50 ms) fits well inside it. */
const REDIS_TIMEOUT_MS = 2000;

/** Each way: the failure reaches Redis this late, and its reply is dropped before it gets back. */
const LOST_REPLY_LATENCY_MS = 400;

/** Every mode the circuit is seen in, sampled every 5 ms until the test ends. */
function watchModes(t: { after(fn: () => void): void }, circuit: SharedCircuit): Set<string> {
  const seen = new Set<string>([circuit.mode]);
  const timer = setInterval(() => seen.add(circuit.mode), 5);
  t.after(() => clearInterval(timer));
  return seen;
}

test('connections reset under a circuit (a proxy reset, a killed client) cause no log line and no local breaker: failures across them still open the shared circuit', async (t) => {
  const redis = await privateRedis(t);
  const { proxy, url } = await proxiedRedis(t, redis.url);
  const namespace = uniqueNamespace('blip');
  const lines: string[] = [];
  const circuit = await connectedCircuit(t, {
    name: 'stock',
    namespace,
    redisUrl: url,
    failures: 3,
    resetTimeoutMs: 60_000,
    redisTimeoutMs: REDIS_TIMEOUT_MS,
    log: (line) => lines.push(line),
  });
  const modes = watchModes(t, circuit);
  const admin = inspector(t, redis.url);
  const fail = () => circuit.execute(() => Promise.reject(new Error('dependency down')));

  assert.equal(proxy.resetConnections(), 2, 'the command and pub/sub connections');
  await assert.rejects(fail(), /dependency down/);
  await waitUntil('both connections are back', () => proxy.connections === 2);
  await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
  await assert.rejects(fail(), /dependency down/);
  proxy.resetConnections();
  await assert.rejects(fail(), /dependency down/);

  assert.equal(await admin.hget(circuitKeys(namespace, 'stock').state, 'state'), 'open');
  assert.equal(circuit.state, 'open');
  assert.deepEqual([...modes], ['shared'], 'never on a local breaker');
  assert.deepEqual(lines, []);
});

test("Redis's idle timeout closing the quiet command connection causes no log line and no local breaker", async (t) => {
  const redis = await privateRedis(t);
  const admin = inspector(t, redis.url);
  await admin.config('SET', 'timeout', '1');
  const { proxy, url } = await proxiedRedis(t, redis.url);
  const lines: string[] = [];
  const namespace = uniqueNamespace('idle-timeout');
  const circuit = await connectedCircuit(t, {
    name: 'mail',
    namespace,
    redisUrl: url,
    failures: 1,
    resetTimeoutMs: 60_000,
    redisTimeoutMs: REDIS_TIMEOUT_MS,
    log: (line) => lines.push(line),
  });
  const modes = watchModes(t, circuit);
  const accepted = proxy.accepted;

  // Successful calls make no round trip: the command connection idles past the timeout.
  await waitUntil('Redis closed the idle connection and the circuit reconnected', () => {
    return proxy.accepted > accepted && proxy.connections === 2;
  });
  await sleep(100);
  await assert.rejects(circuit.execute(() => Promise.reject(new Error('dependency down'))));
  assert.equal(await admin.hget(circuitKeys(namespace, 'mail').state, 'state'), 'open');
  assert.deepEqual([...modes], ['shared'], 'never on a local breaker');
  assert.deepEqual(lines, []);
});

test('when a real outage starts on an open circuit, the local breaker keeps it open until the retry time, then lets one trial through', async (t) => {
  const redis = await privateRedis(t);
  const resetTimeoutMs = 1500;
  const lines: string[] = [];
  const circuit = await connectedCircuit(t, {
    name: 'tax',
    namespace: uniqueNamespace('outage-open'),
    redisUrl: redis.url,
    failures: 1,
    resetTimeoutMs,
    log: (line) => lines.push(line),
  });
  await assert.rejects(circuit.execute(() => Promise.reject(new Error('dependency down'))));
  const openedAt = performance.now();
  assert.equal(circuit.state, 'open');

  await redis.stop();
  await waitUntil('the circuit notices Redis is gone', () => circuit.mode === 'local');
  let reached = 0;
  const call = () =>
    circuit.execute(async () => {
      reached += 1;
      return 'recovered';
    });
  while (performance.now() - openedAt < resetTimeoutMs - 100) {
    await assert.rejects(call(), /circuit "[\w-]+" is open \(local\)/);
    await sleep(20);
  }
  assert.equal(reached, 0, 'no call reached the dependency before the retry time');
  await waitUntil('the trial runs after the retry time', async () => {
    await call().catch(() => {});
    return reached === 1;
  });
  assert.equal(circuit.state, 'closed');
  assert.equal(lines.length, 1, JSON.stringify(lines));
});

test('a process cut off from Redis runs its local breaker from the shared view (open stays open) while the rest of the fleet stays shared', async (t) => {
  const redis = await privateRedis(t);
  const cut = await proxiedRedis(t, redis.url);
  const kept = await proxiedRedis(t, redis.url);
  const options = {
    name: 'fx',
    namespace: uniqueNamespace('cut-off'),
    failures: 1,
    resetTimeoutMs: 60_000,
    redisTimeoutMs: REDIS_TIMEOUT_MS,
  };
  const lines: string[] = [];
  const isolated = await connectedCircuit(t, {
    ...options,
    redisUrl: cut.url,
    log: (line) => lines.push(line),
  });
  const rest = await connectedCircuit(t, { ...options, redisUrl: kept.url });
  await assert.rejects(rest.execute(() => Promise.reject(new Error('dependency down'))));
  await waitUntil('the process to be cut off sees the circuit open', () => {
    return isolated.state === 'open';
  });

  cut.proxy.fault = { kind: 'refuse' };
  await waitUntil('the cut-off process is on its local breaker', () => isolated.mode === 'local');
  let reached = 0;
  await assert.rejects(
    isolated.execute(async () => (reached += 1)),
    /circuit "[\w-]+" is open \(local\)/,
  );
  assert.equal(reached, 0, 'the open circuit stayed open on the local breaker');
  assert.equal(rest.mode, 'shared');
  assert.equal(rest.state, 'open');

  cut.proxy.fault = { kind: 'none' };
  await waitUntil('the cut-off process is back on the shared state', () => {
    return isolated.mode === 'shared';
  });
  assert.equal(isolated.state, 'open');
  assert.equal(lines.length, 2, JSON.stringify(lines));
});

test('a failure whose reply is lost with a dropped connection is sent again after the reconnection and counted once', async (t) => {
  const redis = await privateRedis(t);
  const { proxy, url } = await proxiedRedis(t, redis.url);
  const namespace = uniqueNamespace('lost-reply');
  const circuit = await connectedCircuit(t, {
    name: 'ads',
    namespace,
    redisUrl: url,
    failures: 3,
    resetTimeoutMs: 60_000,
    redisTimeoutMs: REDIS_TIMEOUT_MS,
  });
  const admin = inspector(t, redis.url);
  const state = circuitKeys(namespace, 'ads').state;
  const scriptRuns = async () =>
    Number(/cmdstat_evalsha:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
  const runsBefore = await scriptRuns();

  // Slow both ways: the failure reaches Redis, and its reply is still on the way back...
  proxy.fault = { kind: 'latency', ms: LOST_REPLY_LATENCY_MS };
  const failing = circuit.execute(() => Promise.reject(new Error('dependency down')));
  await waitUntil('Redis counted the failure', async () => {
    return (await admin.hget(state, 'failures')) === '1';
  });
  // ...when the connection drops.
  proxy.fault = { kind: 'none' };
  proxy.resetConnections();
  await assert.rejects(failing, /dependency down/);

  assert.ok(
    (await scriptRuns()) - runsBefore >= 3,
    'the failure, the resync read, the failure again',
  );
  assert.equal(await admin.hget(state, 'failures'), '1', 'counted once');
  assert.equal(circuit.mode, 'shared');
});
