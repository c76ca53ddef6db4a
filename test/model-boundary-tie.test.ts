import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consecutiveModel } from '../src/scenario/consecutive-model.ts';
import { parseSchedule } from '../src/scenario/scenario.ts';

// off:4, 2 failures, 2 s open: opened at 1.0 (call 2); the reset timeout ends at 3.0.
const SCENARIO = {
  schedule: parseSchedule('off:4'),
  failures: 2,
  resetTimeout: 2,
  delay: 1,
  requestTimeout: 1,
};
const timeline = (fourth: number) => [
  { at: 0, latency: 0 },
  { at: 1, latency: 0 },
  { at: 2, latency: 0 },
  { at: fourth, latency: 0 },
];
const outcomes = (model: ReturnType<typeof consecutiveModel>) =>
  model?.map((call) => call.outcome).join(' ');

test('a call a hair before the end of the reset timeout is rejected by the model alone', () => {
  assert.equal(
    outcomes(consecutiveModel(SCENARIO, timeline(2.999))),
    'failure failure rejected rejected',
  );
});

test('within the tie window the model follows the run: a trial where the library let the call through', () => {
  const tie = (through: boolean) => ({
    seconds: 0.01,
    letThrough: (call: number) => call === 4 && through,
  });
  assert.equal(
    outcomes(consecutiveModel(SCENARIO, timeline(2.999), tie(true))),
    'failure failure rejected failure',
  );
  assert.equal(
    outcomes(consecutiveModel(SCENARIO, timeline(3.001), tie(false))),
    'failure failure rejected rejected',
  );
});

test('outside the tie window the run has no say', () => {
  const tie = { seconds: 0.01, letThrough: () => true };
  assert.equal(
    outcomes(consecutiveModel(SCENARIO, timeline(2.5), tie)),
    'failure failure rejected rejected',
  );
});
