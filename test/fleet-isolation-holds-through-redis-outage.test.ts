import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCircuitOpenError } from 'shared-circuit';
import { CircuitControl } from 'shared-circuit';
import { cleanUp, connectedCircuit, privateRedis, uniqueNamespace } from './helpers/redis.ts';
import { FLEET_CLOCK_SLACK_MS, FLEET_RESET_TIMEOUT_MS, waitUntil } from './helpers/timing.ts';

test('an isolated circuit stays isolated on its local breaker while Redis is down, long past its reset timeout', async (t) => {
  const redis = await privateRedis(t);
  const namespace = uniqueNamespace('isolate-outage');
  const circuit = await connectedCircuit(t, {
    name: 'ledger',
    namespace,
    redisUrl: redis.url,
    failures: 3,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS,
  });
  const control = new CircuitControl({ redisUrl: redis.url, namespace });
  cleanUp(t, () => control.close());
  await control.isolate('ledger');
  await waitUntil('the circuit hears it is isolated', () => circuit.isolated);

  await redis.stop();
  await waitUntil('the circuit notices Redis is gone', () => circuit.mode === 'local');
  await sleep(FLEET_RESET_TIMEOUT_MS * 2 + FLEET_CLOCK_SLACK_MS);
  let ran = 0;
  for (let i = 0; i < 3; i += 1) {
    await assert.rejects(
      circuit.execute(async () => (ran += 1)),
      isCircuitOpenError,
    );
  }
  assert.equal(ran, 0, 'no trial while isolated, Redis or not');
  assert.equal(circuit.state, 'open');

  // The control command itself says Redis is unreachable rather than hanging.
  await assert.rejects(control.status('ledger'), {
    name: 'RedisUnreachableError',
  });
});
