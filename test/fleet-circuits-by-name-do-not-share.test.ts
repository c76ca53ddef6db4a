import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { circuitKeys } from '../packages/shared-circuit/src/circuit-keys.ts';
import { connectedCircuit, inspector, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { waitUntil } from './helpers/timing.ts';

test('two circuits with different names in one namespace do not share state', async (t) => {
  const url = await redisUrl(t);
  const namespace = cleanedNamespace(t, url, 'names');
  const common = { namespace, redisUrl: url, failures: 2, resetTimeoutMs: 60_000 };
  const payments = await connectedCircuit(t, { ...common, name: 'payments' });
  const paymentsElsewhere = await connectedCircuit(t, { ...common, name: 'payments' });
  const search = await connectedCircuit(t, { ...common, name: 'search' });
  const redis = inspector(t, url);

  await assert.rejects(search.execute(() => Promise.reject(new Error('down'))));
  for (let i = 0; i < 2; i += 1) {
    await assert.rejects(payments.execute(() => Promise.reject(new Error('down'))));
  }
  await waitUntil('the other payments client sees its circuit open', () => {
    return paymentsElsewhere.state === 'open';
  });

  assert.equal(search.state, 'closed');
  assert.equal(await search.execute(() => Promise.resolve('still served')), 'still served');
  assert.equal(await redis.hget(circuitKeys(namespace, 'payments').state, 'state'), 'open');
  assert.equal(await redis.hget(circuitKeys(namespace, 'search').state, 'state'), 'closed');
});
