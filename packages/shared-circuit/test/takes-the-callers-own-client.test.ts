import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { CircuitControl, isCircuitOpenError, SharedCircuit } from 'shared-circuit';
import { test } from '../../../test/helpers/redis-test.ts';
import { redisUrl, uniqueNamespace } from '../../../test/helpers/redis.ts';

test("a circuit runs on the caller's own ioredis client, shares state through it, and leaves it open on dispose", async (t) => {
  const url = await redisUrl(t);
  const namespace = uniqueNamespace('own-client');
  const client = new Redis(url); // the caller's: TLS, passwords, Sentinel would be theirs to set
  t.after(() => client.disconnect());
  const control = new CircuitControl({ redisUrl: url, namespace });
  t.after(() => control.close());

  {
    await using circuit = new SharedCircuit({
      name: 'mine',
      namespace,
      redis: client,
      failures: 2,
      resetTimeoutMs: 60_000,
      log: () => {},
    });
    assert.equal(await circuit.ready(), 'shared');
    for (let i = 0; i < 2; i += 1)
      await circuit.execute(() => Promise.reject(new Error('down'))).catch(() => {});
    await assert.rejects(
      circuit.execute(() => Promise.resolve(1)),
      (error) => isCircuitOpenError(error) && error.level === 'fleet',
    );
    assert.equal(
      (await control.status('mine')).state,
      'open',
      'the state is in Redis, where any process sees it',
    );
  }
  // `await using` disposed the circuit at the end of the block; the caller's client is still theirs.
  assert.equal(client.status, 'ready');
  assert.equal(await client.ping(), 'PONG');
  await control.reset('mine');
});
