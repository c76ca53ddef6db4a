import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { connectedCircuit, inspector, privateRedis, uniqueNamespace } from './helpers/redis.ts';
import { waitUntil } from './helpers/timing.ts';

test('a Redis that stops answering in time sends the circuit to its local breaker, and it resumes the shared state once Redis answers again', async (t) => {
  const redis = await privateRedis(t);
  const lines: string[] = [];
  const circuit = await connectedCircuit(t, {
    name: 'quotes',
    namespace: uniqueNamespace('slow'),
    redisUrl: redis.url,
    failures: 5,
    resetTimeoutMs: 60_000,
    redisTimeoutMs: 100,
    log: (line) => lines.push(line),
  });
  // CLIENT PAUSE holds every other client's commands: the connection stays up but answers late.
  await inspector(t, redis.url).call('CLIENT', 'PAUSE', '1000', 'ALL');

  const outage = new Error('dependency down');
  await assert.rejects(
    circuit.execute(() => Promise.reject(outage)),
    (error) => error === outage,
    'the caller sees its own error, never the Redis timeout',
  );
  assert.equal(circuit.mode, 'local');
  assert.equal(await circuit.execute(() => Promise.resolve('served')), 'served');
  assert.match(lines[0] ?? '', /unreachable \(.*timed out.*\)/i);

  await waitUntil('the circuit is back on the shared state', () => circuit.mode === 'shared');
  assert.equal(lines.length, 2, JSON.stringify(lines));
  assert.match(lines[1] ?? '', /is back/);
});
