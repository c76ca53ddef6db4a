import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import {
  isCircuitOpenError,
  type BreakerSettings,
  type CircuitState,
} from '../src/breakers/breaker.ts';
import { cockatiel } from '../src/breakers/cockatiel.ts';

const RESET_TIMEOUT_MS = 1000;

/**
 * A cockatiel adapter opened by two failures, its reset timeout passed on fake timers (cockatiel
 * reads Date.now()), and the states it reported from then on.
 */
async function openedPastReset(t: TestContext, halfOpen?: BreakerSettings['halfOpen']) {
  t.mock.timers.enable({ apis: ['Date', 'setTimeout'] });
  const breaker = cockatiel.create({
    failures: 2,
    resetTimeoutMs: RESET_TIMEOUT_MS,
    ...(halfOpen ? { halfOpen } : {}),
  });
  t.after(() => breaker.dispose());
  await assert.rejects(fail(breaker));
  await assert.rejects(fail(breaker));
  assert.equal(breaker.state, 'open');
  t.mock.timers.tick(RESET_TIMEOUT_MS);
  const states: CircuitState[] = [];
  breaker.onStateChange((state) => states.push(state));
  return { breaker, states };
}

type Adapter = ReturnType<typeof cockatiel.create>;
const succeed = (breaker: Adapter) => breaker.execute(() => Promise.resolve('up'));
const fail = (breaker: Adapter) => breaker.execute(() => Promise.reject(new Error('down')));

test('cockatiel stays half-open for every trial and closes after the last when the failures stay within the share', async (t) => {
  // 4 trials, a quarter of them may fail: one failure is allowed.
  const { breaker, states } = await openedPastReset(t, { calls: 4, failureShare: 0.25 });
  const after: CircuitState[] = [];
  for (const trial of [succeed, fail, succeed, succeed]) {
    await trial(breaker).catch(() => {});
    after.push(breaker.state);
  }
  assert.deepEqual(after, ['half-open', 'half-open', 'half-open', 'closed']);
  assert.deepEqual(states, ['half-open', 'closed']);
});

test('cockatiel re-opens on the failure that passes the share, without the remaining trials', async (t) => {
  const { breaker, states } = await openedPastReset(t, { calls: 4, failureShare: 0.25 });
  const after: CircuitState[] = [];
  for (const trial of [fail, succeed, fail]) {
    await trial(breaker).catch(() => {});
    after.push(breaker.state);
  }
  assert.deepEqual(after, ['half-open', 'half-open', 'open']);
  assert.deepEqual(states, ['half-open', 'open']);
  await assert.rejects(succeed(breaker), (error) => isCircuitOpenError(error));
});

test('without the half-open option cockatiel closes on its first successful trial', async (t) => {
  const { breaker, states } = await openedPastReset(t);
  assert.equal(await succeed(breaker), 'up');
  assert.equal(breaker.state, 'closed');
  assert.deepEqual(states, ['half-open', 'closed']);
});
