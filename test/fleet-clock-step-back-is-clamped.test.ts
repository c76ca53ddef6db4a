import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { circuitKeys } from '../packages/shared-circuit/src/circuit-keys.ts';
import { connectedCircuit, inspector, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { FLEET_RESET_TIMEOUT_MS, waitUntil } from './helpers/timing.ts';

const HOUR_MS = 3_600_000;

test("an opening time ahead of Redis's clock (a clock stepped back an hour) holds the circuit open one reset timeout, not an hour", async (t) => {
  const url = await redisUrl(t);
  const namespace = cleanedNamespace(t, url, 'clock-step');
  const circuit = await connectedCircuit(t, {
    name: 'ledger',
    namespace,
    redisUrl: url,
    failures: 1,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS,
  });
  await assert.rejects(circuit.execute(() => Promise.reject(new Error('down'))));
  const redis = inspector(t, url);
  const state = circuitKeys(namespace, 'ledger').state;
  const [seconds] = await redis.time();
  await redis.hset(state, 'openedAt', Number(seconds) * 1000 + HOUR_MS);

  let trials = 0;
  await waitUntil('a trial runs', async () => {
    await circuit.execute(async () => (trials += 1)).catch(() => {});
    return trials === 1;
  });
  assert.equal(circuit.state, 'closed');
});
