import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { isCircuitOpenError, type CircuitState } from '../src/breakers/breaker.ts';
import { mollitia } from '../src/breakers/mollitia.ts';

const RESET_TIMEOUT_MS = 1000;

type Adapter = ReturnType<typeof mollitia.create>;
const succeed = (breaker: Adapter) => breaker.execute(() => Promise.resolve('up'));
const fail = (breaker: Adapter) => breaker.execute(() => Promise.reject(new Error('down')));

/**
 * A mollitia adapter asked for 3 half-open trials of which a third may fail, opened by two
 * failures and moved to half-open by its own timer (on fake timers).
 */
async function halfOpenWithThreeTrials(t: TestContext) {
  t.mock.timers.enable({ apis: ['Date', 'setTimeout'] });
  const breaker = mollitia.create({
    failures: 2,
    resetTimeoutMs: RESET_TIMEOUT_MS,
    halfOpen: { calls: 3, failureShare: 1 / 3 },
  });
  t.after(() => breaker.dispose());
  await assert.rejects(fail(breaker));
  await assert.rejects(fail(breaker));
  assert.equal(breaker.state, 'open');
  t.mock.timers.tick(RESET_TIMEOUT_MS);
  await turn(); // mollitia's timer callback is async
  assert.equal(breaker.state, 'half-open');
  const states: CircuitState[] = [];
  breaker.onStateChange((state) => states.push(state));
  return { breaker, states };
}

test('mollitia lets the asked number of trials run at once and rejects the call beyond them', async (t) => {
  const { breaker } = await halfOpenWithThreeTrials(t);
  let release = () => {};
  const held = new Promise<string>((resolve) => (release = () => resolve('up')));
  const trials = [1, 2, 3].map(() => breaker.execute(() => held));
  await turn();
  await assert.rejects(succeed(breaker), (error) => isCircuitOpenError(error));
  release();
  assert.deepEqual(await Promise.all(trials), ['up', 'up', 'up']);
  assert.equal(breaker.state, 'closed');
});

test('mollitia judges its trials once all are back: two failures of three still close it', async (t) => {
  // The share asks to re-open on the second failure; mollitia's 99% threshold waits for the third.
  const { breaker, states } = await halfOpenWithThreeTrials(t);
  const after: CircuitState[] = [];
  for (const trial of [fail, fail, succeed]) {
    await trial(breaker).catch(() => {});
    after.push(breaker.state);
  }
  assert.deepEqual(after, ['half-open', 'half-open', 'closed']);
  assert.deepEqual(states, ['closed']);
});

test('mollitia re-opens when every trial failed', async (t) => {
  const { breaker, states } = await halfOpenWithThreeTrials(t);
  for (const trial of [fail, fail, fail]) await trial(breaker).catch(() => {});
  assert.equal(breaker.state, 'open');
  assert.deepEqual(states, ['open']);
});
