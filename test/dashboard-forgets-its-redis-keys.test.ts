import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { startDashboard } from '../src/dashboard/dashboard.ts';
import { cleanUp, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace, namespaceKeys } from './helpers/redis-namespace.ts';
import { waitUntil } from './helpers/timing.ts';

test("the dashboard deletes its shared circuit's keys from Redis when it stops", async (t) => {
  const url = await redisUrl(t);
  // Deleted by the test too, should the dashboard fail to.
  const namespace = cleanedNamespace(t, url, 'dashboard');
  const dashboard = await startDashboard({
    libraries: [],
    redisUrl: url,
    namespace,
    settings: { delayMs: 20 },
    log: () => {},
  });
  cleanUp(t, () => dashboard.stop());
  let calls = 0;
  dashboard.onEvent((event) => {
    if (event.type === 'call' && event.library === 'fleet') calls += 1;
  });
  // A new settings makes a new circuit: two circuits' keys in the namespace.
  await waitUntil('the shared circuit has called', () => calls >= 2);
  await fetch(new URL('/api/settings', dashboard.url), {
    method: 'POST',
    body: JSON.stringify({ failures: 2 }),
  });
  const before = calls;
  await waitUntil('the new circuit has called', () => calls >= before + 2);
  assert.ok((await namespaceKeys(url, namespace)).length >= 2, 'its circuits wrote to Redis');

  await dashboard.stop();
  assert.deepEqual(await namespaceKeys(url, namespace), []);
});
