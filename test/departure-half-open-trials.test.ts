import assert from 'node:assert/strict';
import { test } from 'node:test';
import { departureReason } from '../src/breakers/departure.ts';

const FOUR_TRIALS_ONE_MAY_FAIL = { halfOpen: { calls: 4, failureShare: 0.25 } };

test("opossum's departure says it lets one trial through when several are asked", () => {
  assert.equal(
    departureReason('opossum', FOUR_TRIALS_ONE_MAY_FAIL),
    'opossum opens on a failure rate over a rolling window, not on N consecutive failures; ' +
      'opossum lets one trial call through while half-open, not 4: that one call closes or re-opens the circuit',
  );
});

test("mollitia's departure names the failures its 99% threshold re-opens on, against the share's", () => {
  assert.equal(
    departureReason('mollitia', FOUR_TRIALS_ONE_MAY_FAIL),
    'mollitia judges its 4 half-open trials once all are back, by its failure rate threshold (99%), ' +
      'not by a share of their own: it re-opens when 4 of them failed, not 2',
  );
  // At 100 trials 99% is 99 failures, not all 100.
  assert.match(
    departureReason('mollitia', { halfOpen: { calls: 100, failureShare: 0.995 } }) ?? '',
    /re-opens when 99 of them failed, not 100$/,
  );
});

test('mollitia does not depart where the share lets all trials but one fail', () => {
  assert.equal(
    departureReason('mollitia', { halfOpen: { calls: 4, failureShare: 0.75 } }),
    undefined,
  );
  assert.equal(
    departureReason('mollitia', { halfOpen: { calls: 3, failureShare: 0.9 } }),
    undefined,
  );
});

test('cockatiel samples as asked, and one trial is what every library makes', () => {
  assert.equal(departureReason('cockatiel', FOUR_TRIALS_ONE_MAY_FAIL), undefined);
  const oneTrial = { halfOpen: { calls: 1, failureShare: 0.5 } };
  assert.equal(departureReason('mollitia', oneTrial), undefined);
  assert.equal(departureReason('opossum', oneTrial), departureReason('opossum'));
});

test('the shared circuit takes several trials but no failure share, and says so only when a share is asked', () => {
  assert.match(
    departureReason('fleet', FOUR_TRIALS_ONE_MAY_FAIL) ?? '',
    /^fleet closes after 4 trial successes but re-opens on the first failed trial, not on failure 2/,
  );
  assert.equal(departureReason('fleet', { halfOpen: { calls: 4, failureShare: 0 } }), undefined);
  assert.equal(departureReason('fleet'), undefined);
});
