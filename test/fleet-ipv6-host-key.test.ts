import assert from 'node:assert/strict';
import { SharedCircuits } from 'shared-circuit';
import { test } from './helpers/redis-test.ts';
import { cleanUp, dropKeysAfter, inspector, redisUrl, uniqueNamespace } from './helpers/redis.ts';
import { FLEET_DEADLINE_MS } from './helpers/timing.ts';

test('an IPv6 host with its port ([::1]:8080) is a key with a circuit of its own', async (t) => {
  const url = await redisUrl(t);
  const namespace = uniqueNamespace('ipv6-key');
  dropKeysAfter(t, inspector(t, url), namespace);
  const circuits = new SharedCircuits({
    namespace,
    redisUrl: url,
    failures: 1,
    resetTimeoutMs: 60_000,
    redisTimeoutMs: FLEET_DEADLINE_MS,
    connectTimeoutMs: FLEET_DEADLINE_MS,
    log: () => {},
  });
  cleanUp(t, () => circuits.dispose());
  const ipv6 = circuits.get('[::1]:8080');
  assert.equal(await ipv6.ready(), 'shared');
  await ipv6.execute(() => Promise.reject(new Error('down'))).catch(() => {});
  assert.equal(ipv6.state, 'open');
  assert.equal(circuits.get('[::2]:8080').state, 'closed', 'another host keeps its own circuit');
});
