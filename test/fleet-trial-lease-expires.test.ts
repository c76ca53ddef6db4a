import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCircuitOpenError } from '../src/breakers/breaker.ts';
import { circuitKeys } from '../src/fleet/circuit-keys.ts';
import { fetchGreeting } from '../src/http/fetch-greeting.ts';
import { connectedCircuit, inspector, redisUrl, uniqueNamespace } from './helpers/redis.ts';
import { startTestServer } from './helpers/test-server.ts';
import { FLEET_CLOCK_SLACK_MS, FLEET_RESET_TIMEOUT_MS, waitUntil } from './helpers/timing.ts';

test('a client that takes the trial lease and dies does not wedge the circuit: after the lease TTL another client gets the trial', async (t) => {
  const url = await redisUrl(t);
  const server = await startTestServer(t);
  const namespace = uniqueNamespace('lease');
  const trialLeaseMs = FLEET_RESET_TIMEOUT_MS;
  const options = {
    name: 'search',
    namespace,
    redisUrl: url,
    failures: 1,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS,
    trialLeaseMs,
  };
  const doomed = await connectedCircuit(t, options);
  const survivor = await connectedCircuit(t, options);
  const redis = inspector(t, url);
  const lease = circuitKeys(namespace, 'search').lease;
  const call = () => survivor.execute(() => fetchGreeting(server.url, { timeoutMs: 2000 }));

  await assert.rejects(doomed.execute(() => Promise.reject(new Error('down'))));
  await waitUntil('the survivor sees the circuit open', () => survivor.state === 'open');
  await sleep(FLEET_RESET_TIMEOUT_MS + FLEET_CLOCK_SLACK_MS);

  // The doomed client's trial never answers, and its process goes away without a word.
  void doomed.execute(() => new Promise<never>(() => {}));
  await waitUntil(
    'the doomed client holds the lease',
    async () => (await redis.exists(lease)) === 1,
  );
  const leaseTakenAt = performance.now();
  await doomed.dispose();

  await assert.rejects(call(), isCircuitOpenError, 'the lease still holds: no second trial');
  let closedAt = 0;
  await waitUntil('the survivor gets the trial and closes the circuit', async () => {
    try {
      await call();
      closedAt = performance.now();
      return true;
    } catch (error) {
      if (!isCircuitOpenError(error)) throw error;
      return false;
    }
  });
  assert.ok(
    closedAt - leaseTakenAt >= trialLeaseMs - FLEET_CLOCK_SLACK_MS,
    `trial after ${Math.round(closedAt - leaseTakenAt)} ms, lease is ${trialLeaseMs} ms`,
  );
  assert.equal(server.requests.total, 1, "only the survivor's trial reached the server");
  assert.equal(survivor.state, 'closed');
});
