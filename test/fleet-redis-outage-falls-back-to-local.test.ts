import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { isCircuitOpenError } from 'shared-circuit';
import { connectedCircuit, privateRedis, uniqueNamespace } from './helpers/redis.ts';
import { waitUntil } from './helpers/timing.ts';

test('with Redis stopped mid-run calls keep working on a local breaker, and the shared state resumes when Redis restarts', async (t) => {
  const redis = await privateRedis(t);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => process.off('unhandledRejection', onUnhandled));
  const lines: string[] = [];
  const options = {
    name: 'orders',
    namespace: uniqueNamespace('outage'),
    redisUrl: redis.url,
    failures: 2,
    resetTimeoutMs: 60_000,
  };
  const watched = await connectedCircuit(t, { ...options, log: (line) => lines.push(line) });
  const other = await connectedCircuit(t, options);
  const fail = () => watched.execute(() => Promise.reject(new Error('dependency down')));

  await redis.stop();
  await waitUntil('the circuit notices Redis is gone', () => watched.mode === 'local');
  assert.equal(await watched.execute(() => Promise.resolve('served')), 'served');
  await assert.rejects(fail(), /dependency down/);
  await assert.rejects(fail(), /dependency down/);
  await assert.rejects(fail(), isCircuitOpenError, 'the local breaker opened after 2 failures');
  assert.equal(watched.state, 'open');
  assert.equal(lines.length, 1, `one line about the outage, got ${JSON.stringify(lines)}`);
  assert.match(lines[0] ?? '', /unreachable.*local breaker/);

  await redis.start();
  await waitUntil('both clients are back on the shared state', () => {
    return watched.mode === 'shared' && other.mode === 'shared';
  });
  assert.equal(
    watched.state,
    'closed',
    'the shared state (empty after the restart) replaced the local one',
  );
  assert.match(lines[1] ?? '', /is back/);
  for (let i = 0; i < 2; i += 1) {
    await assert.rejects(other.execute(() => Promise.reject(new Error('dependency down'))));
  }
  await waitUntil('the watched client learns of the other client opening the circuit', () => {
    return watched.state === 'open';
  });
  assert.deepEqual(unhandled, []);
});
