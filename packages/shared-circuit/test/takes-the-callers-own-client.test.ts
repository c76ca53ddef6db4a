import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
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

test("the log line names where the caller's own client connects, not REDIS_URL", async (t) => {
  const port = await closedPort();
  const client = new Redis({
    host: '127.0.0.1',
    port,
    db: 3,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => {});
  t.after(() => client.disconnect());
  const logged: string[] = [];
  await using circuit = new SharedCircuit({
    name: 'mine',
    redis: client,
    redisUrl: 'redis://elsewhere.invalid:6379',
    failures: 2,
    resetTimeoutMs: 60_000,
    connectTimeoutMs: 200,
    log: (line) => logged.push(line),
  });
  assert.equal(await circuit.ready(), 'local');
  assert.equal(logged.length, 1, logged.join('\n'));
  assert.match(
    logged[0]!,
    new RegExp(`^fleet: Redis at redis://127\\.0\\.0\\.1:${port}/3 \\(your client\\) `),
  );
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
