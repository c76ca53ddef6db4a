import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterFailure, type PolicyState } from '../src/policy.ts';

const SETTINGS = { failures: 1, resetTimeoutMs: 1000, halfOpenTrials: 1, successThreshold: 1 };
/** Closed for the second time: spell 0 opened, a trial closed it into spell 1. */
const RECOVERED: PolicyState = { state: 'closed', failures: 0, spell: 1 };

test("a failure of a call that started in an older closed spell counts nothing in today's", () => {
  assert.equal(afterFailure(RECOVERED, SETTINGS, 0, false, 0), RECOVERED);
});

test('a failure of a trial, delivered after other trials closed the circuit, counts nothing', () => {
  assert.equal(afterFailure(RECOVERED, SETTINGS, 0, true, undefined), RECOVERED);
});

test('a failure of a call of this closed spell counts', () => {
  assert.equal(afterFailure(RECOVERED, SETTINGS, 0, false, 1).state, 'open');
});
