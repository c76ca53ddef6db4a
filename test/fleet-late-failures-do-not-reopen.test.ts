import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from './helpers/redis-test.ts';
import {
  connectedCircuit,
  dropKeysAfter,
  inspector,
  proxiedRedis,
  redisUrl,
  uniqueNamespace,
} from './helpers/redis.ts';
import { FLEET_CLOCK_SLACK_MS, FLEET_RESET_TIMEOUT_MS } from './helpers/timing.ts';

test('failures held in a partition and delivered after the fleet opened and closed again do not reopen it', async (t) => {
  const url = await redisUrl(t);
  const namespace = uniqueNamespace('late-failures');
  const admin = inspector(t, url);
  dropKeysAfter(t, admin, namespace);
  const { proxy, url: proxiedUrl } = await proxiedRedis(t, url);
  const options = {
    name: 'quotes',
    namespace,
    failures: 2,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS,
  };
  const cutOff = await connectedCircuit(t, { ...options, redisUrl: proxiedUrl });
  const fleet = await connectedCircuit(t, { ...options, redisUrl: url });
  const fail = () => Promise.reject(new Error('dependency down'));

  // The partition: the cut-off process's failure scripts are held on their way to Redis.
  proxy.fault = { kind: 'blackhole' };
  const held = [1, 2].map(() => cutOff.execute(fail).catch(() => {}));
  await fleet.execute(fail).catch(() => {});
  await fleet.execute(fail).catch(() => {});
  assert.equal(fleet.state, 'open');
  await sleep(FLEET_RESET_TIMEOUT_MS + FLEET_CLOCK_SLACK_MS);
  assert.equal(await fleet.execute(() => Promise.resolve('up')), 'up', 'the trial');
  assert.equal(fleet.state, 'closed', 'the fleet recovered without the cut-off process');

  proxy.fault = { kind: 'none' };
  await Promise.all(held);
  assert.equal(await admin.hget(`${namespace}:{quotes}:state`, 'state'), 'closed');
  assert.equal(await admin.hget(`${namespace}:{quotes}:state`, 'failures'), '0');
  assert.equal(fleet.state, 'closed');
});
