import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCircuitOpenError, type CircuitState } from '../src/breakers/breaker.ts';
import { fleetLibrary } from '../src/breakers/shared-circuit.ts';
import { cleanUp, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { FLEET_CLOCK_SLACK_MS, FLEET_RESET_TIMEOUT_MS } from './helpers/timing.ts';

test('the fleet library keeps the lab contract: consecutive failures open it, a success resets the count, one trial closes it', async (t) => {
  const url = await redisUrl(t);
  const library = fleetLibrary({
    namespace: cleanedNamespace(t, url, 'contract'),
    redisUrl: url,
    log: () => {},
  });
  assert.equal(library.name, 'fleet');
  const breaker = library.create({ failures: 2, resetTimeoutMs: FLEET_RESET_TIMEOUT_MS });
  cleanUp(t, () => breaker.dispose());
  const states: CircuitState[] = [];
  breaker.onStateChange((state) => states.push(state));
  const fail = () => breaker.execute(() => Promise.reject(new Error('down')));
  const succeed = () => breaker.execute(() => Promise.resolve('up'));

  await assert.rejects(fail(), /down/);
  assert.equal(await succeed(), 'up');
  await assert.rejects(fail(), /down/);
  assert.equal(breaker.state, 'closed', 'fail, succeed, fail: never two in a row');
  await assert.rejects(fail(), /down/);
  assert.equal(breaker.state, 'open');
  await assert.rejects(
    succeed(),
    (error) => isCircuitOpenError(error) && error.library === 'fleet',
  );

  await sleep(FLEET_RESET_TIMEOUT_MS + FLEET_CLOCK_SLACK_MS);
  assert.equal(await succeed(), 'up', 'the trial call');
  assert.equal(breaker.state, 'closed');
  assert.deepEqual(states, ['open', 'half-open', 'closed']);
});

test('fleetLibrary checks its options before creating anything', () => {
  assert.throws(() => fleetLibrary({ redisUrl: 'localhost:6379' }), /REDIS_URL must look like/);
  assert.throws(() => fleetLibrary({ namespace: 'has space' }), /namespace must be/);
});
