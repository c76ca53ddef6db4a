import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterFailure, afterSuccess, grantTrial, type PolicyState } from '../src/policy.ts';

const SETTINGS = { failures: 1, resetTimeoutMs: 0, halfOpenTrials: 2, successThreshold: 3 };
const OPEN: PolicyState = { state: 'open', openedAt: 0, spell: 0 };

test('a failed trial opens the circuit again for a full reset timeout, whatever succeeded before', () => {
  const two = grantTrial(grantTrial(OPEN, SETTINGS, 0)!, SETTINGS, 0)!;
  const oneSucceeded = afterSuccess(two, SETTINGS, true);
  assert.deepEqual(afterFailure(oneSucceeded, SETTINGS, 700, true), {
    state: 'open',
    openedAt: 700,
    spell: 0,
  });
});

test('while half-open, the failure of a call that is not a trial changes nothing', () => {
  const halfOpen = grantTrial(OPEN, SETTINGS, 0)!;
  assert.equal(afterFailure(halfOpen, SETTINGS, 700, false, 0), halfOpen);
});
