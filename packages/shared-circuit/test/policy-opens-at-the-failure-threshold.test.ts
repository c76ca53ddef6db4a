import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterFailure, afterSuccess, CLOSED, type PolicyState } from '../src/policy.ts';

const SETTINGS = { failures: 3, resetTimeoutMs: 1000, halfOpenTrials: 1, successThreshold: 1 };

function failed(record: PolicyState, times: number, now = 0): PolicyState {
  for (let i = 0; i < times; i += 1) record = afterFailure(record, SETTINGS, now, false, 0);
  return record;
}

test('a closed circuit opens on the failure that reaches the threshold, at that moment', () => {
  assert.deepEqual(failed(CLOSED, 2), { state: 'closed', failures: 2, spell: 0 });
  assert.deepEqual(failed(failed(CLOSED, 2), 1, 42), { state: 'open', openedAt: 42, spell: 0 });
});

test('a success in between starts the count of consecutive failures again', () => {
  const reset = afterSuccess(failed(CLOSED, 2), SETTINGS, false);
  assert.deepEqual(failed(reset, 2), { state: 'closed', failures: 2, spell: 0 });
});

test('a failure of a call that started before the circuit opened changes nothing', () => {
  const open = failed(CLOSED, 3);
  assert.equal(afterFailure(open, SETTINGS, 99, false, 0), open);
});
