import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterSuccess, grantTrial, type PolicyState } from '../src/policy.ts';

const SETTINGS = { failures: 1, resetTimeoutMs: 0, halfOpenTrials: 1, successThreshold: 2 };
const OPEN: PolicyState = { state: 'open', openedAt: 0, spell: 3 };

test('successThreshold trial successes close the circuit, into a new closed spell', () => {
  const once = afterSuccess(grantTrial(OPEN, SETTINGS, 0)!, SETTINGS, true);
  assert.deepEqual(once, { state: 'half-open', running: 0, successes: 1, spell: 3 });
  const twice = afterSuccess(grantTrial(once, SETTINGS, 0)!, SETTINGS, true);
  assert.deepEqual(twice, { state: 'closed', failures: 0, spell: 4 });
});

test('a success that holds no grant (counted already, or not a trial) counts nothing', () => {
  const once = afterSuccess(grantTrial(OPEN, SETTINGS, 0)!, SETTINGS, true);
  assert.equal(afterSuccess(once, SETTINGS, false), once);
});
