import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterAbandonedTrial, grantTrial, type PolicyState } from '../src/policy.ts';

const SETTINGS = { failures: 1, resetTimeoutMs: 0, halfOpenTrials: 1, successThreshold: 1 };
const OPEN: PolicyState = { state: 'open', openedAt: 0, spell: 0 };

test('a trial abandoned without a verdict frees its place for the next, and counts nothing', () => {
  const running = grantTrial(OPEN, SETTINGS, 0)!;
  assert.equal(grantTrial(running, SETTINGS, 0), undefined, 'the one place is taken');
  const abandoned = afterAbandonedTrial(running);
  assert.deepEqual(abandoned, { state: 'half-open', running: 0, successes: 0, spell: 0 });
  assert.ok(grantTrial(abandoned, SETTINGS, 0), 'the next trial may start');
});

test('abandoning a trial after the circuit opened or closed changes nothing', () => {
  assert.equal(afterAbandonedTrial(OPEN), OPEN);
  const closed: PolicyState = { state: 'closed', failures: 0, spell: 1 };
  assert.equal(afterAbandonedTrial(closed), closed);
});
