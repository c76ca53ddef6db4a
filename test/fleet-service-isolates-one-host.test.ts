import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { CircuitControl } from 'shared-circuit';
import { SharedCircuits } from 'shared-circuit';
import { startProxyService } from '../src/fleet-demo/service.ts';
import { cleanUp, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { startTestServer } from './helpers/test-server.ts';
import { FLEET_DEADLINE_MS, waitUntil } from './helpers/timing.ts';

test('the node:http service keeps a circuit per upstream host: isolating one host answers 503 for it alone, without calling it', async (t) => {
  const url = await redisUrl(t);
  const namespace = cleanedNamespace(t, url, 'service');
  const [healthy, isolated] = [await startTestServer(t), await startTestServer(t)];
  const circuits = new SharedCircuits({
    namespace,
    redisUrl: url,
    failures: 3,
    resetTimeoutMs: 5000,
    redisTimeoutMs: FLEET_DEADLINE_MS,
    connectTimeoutMs: FLEET_DEADLINE_MS,
    log: () => {},
  });
  const service = await startProxyService(0, circuits);
  cleanUp(t, () => service.close());
  const get = async (upstream: string) => {
    const response = await fetch(`${service.url}proxy?url=${encodeURIComponent(upstream)}`);
    return { status: response.status, body: await response.text() };
  };
  assert.equal((await get(healthy.url)).status, 200);
  assert.equal((await get(isolated.url)).status, 200);
  const host = new URL(isolated.url).host;

  const control = new CircuitControl({ redisUrl: url, namespace });
  cleanUp(t, () => control.close());
  await control.isolate(host);
  await waitUntil('the service rejects the isolated host', async () => {
    return (await get(isolated.url)).status === 503;
  });
  const reached = isolated.requests.total; // a poll may have passed before the isolation arrived
  for (let i = 0; i < 5; i += 1) {
    assert.deepEqual(await get(isolated.url), {
      status: 503,
      body: `circuit for ${host} is open\n`,
    });
  }
  assert.equal(isolated.requests.total, reached, 'no call reaches the isolated host');
  assert.equal((await get(healthy.url)).status, 200, 'the other host is not affected');
  assert.deepEqual(
    (await control.list()).map((circuit) => [circuit.name, circuit.forced]),
    [
      [new URL(healthy.url).host, false],
      [host, true],
    ].sort(),
  );
});
