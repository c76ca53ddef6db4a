import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grantTrial, retryInMs, type PolicyState } from '../src/policy.ts';

const SETTINGS = { failures: 1, resetTimeoutMs: 1000, halfOpenTrials: 2, successThreshold: 1 };
const OPEN: PolicyState = { state: 'open', openedAt: 5000, spell: 0 };

test('an open circuit refuses a trial until the reset timeout has passed, and says how long', () => {
  assert.equal(grantTrial(OPEN, SETTINGS, 5999), undefined);
  assert.equal(retryInMs(OPEN, SETTINGS, 5999), 1);
});

test('once the reset timeout has passed, the first trial turns it half-open', () => {
  assert.deepEqual(grantTrial(OPEN, SETTINGS, 6000), {
    state: 'half-open',
    running: 1,
    successes: 0,
    spell: 0,
  });
});

test('half-open grants halfOpenTrials trials at once, and no more', () => {
  const first = grantTrial(OPEN, SETTINGS, 6000)!;
  const second = grantTrial(first, SETTINGS, 6000)!;
  assert.equal(second.state === 'half-open' && second.running, 2);
  assert.equal(grantTrial(second, SETTINGS, 9999), undefined);
});

test('a closed circuit grants no trial: its calls are not trials', () => {
  assert.equal(grantTrial({ state: 'closed', failures: 0, spell: 0 }, SETTINGS, 0), undefined);
});
