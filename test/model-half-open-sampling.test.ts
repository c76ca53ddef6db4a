import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cockatiel } from '../src/breakers/cockatiel.ts';
import { boundaryTie } from '../src/scenario/boundary-tie.ts';
import { consecutiveModel } from '../src/scenario/consecutive-model.ts';
import { runScenario } from '../src/scenario/run-scenario.ts';
import { parseSchedule, SEED_SCENARIO, type Scenario } from '../src/scenario/scenario.ts';
import { SPEED } from './helpers/timing.ts';

// Opened at 1 s by two failures; a server that fails every other request; 2.5 s open, so every
// end of a reset timeout is 0.5 s away from a call (drift at SPEED cannot move one across it).
const SCENARIO: Scenario = {
  ...SEED_SCENARIO,
  failures: 2,
  resetTimeout: 2.5,
  requestTimeout: 1,
  schedule: parseSchedule('off:2,fail-every=2:9,on:6'),
  speed: SPEED,
};
const THREE_TRIALS_ONE_MAY_FAIL = { calls: 3, failureShare: 1 / 3 };
const THREE_TRIALS_NONE_MAY_FAIL = { calls: 3, failureShare: 0 };

/** `fo`: failure, open after it; `*` marks a trial. */
const letters = (
  calls: readonly { outcome: string; state: string; trial: boolean }[] | undefined,
) => (calls ?? []).map((c) => `${c.outcome[0]}${c.state[0]}${c.trial ? '*' : ''}`).join(' ');

test('the model stays half-open through the trials and closes after the last when the failures stay within the share', () => {
  assert.equal(
    letters(consecutiveModel({ ...SCENARIO, halfOpen: THREE_TRIALS_ONE_MAY_FAIL })),
    // off: 2 failures open it; 2 rejected; trials: success, failure (allowed), success -> closed;
    // closed, the alternating failures never make 2 in a row.
    'fc fo ro ro sh* fh* sc* fc sc fc sc sc sc sc sc sc sc',
  );
});

test('the model re-opens on the failure past the share, before the remaining trials', () => {
  assert.equal(
    letters(consecutiveModel({ ...SCENARIO, halfOpen: THREE_TRIALS_NONE_MAY_FAIL })),
    // Each half-open state meets a success then a failure of fail-every=2: re-opened at once,
    // until the server is on and three trials succeed.
    'fc fo ro ro sh* fo* ro ro sh* fo* ro ro sh* sh* sc* sc sc',
  );
});

test('with the default (one trial) the first success closes the circuit', () => {
  assert.equal(
    letters(consecutiveModel(SCENARIO)),
    'fc fo ro ro sc* fc sc fc sc fc sc sc sc sc sc sc sc',
  );
});

test('cockatiel with halfOpenSampling, run against the mock server, follows the model call by call', async () => {
  for (const halfOpen of [THREE_TRIALS_ONE_MAY_FAIL, THREE_TRIALS_NONE_MAY_FAIL]) {
    const scenario = { ...SCENARIO, halfOpen };
    const trace = await runScenario({
      scenario,
      libraries: [cockatiel],
      host: '127.0.0.1',
      port: 0,
    });
    const run = trace.runs[0];
    assert.ok(run);
    // Evaluated on the run's own call times, so a stalled machine cannot fail this.
    const model = consecutiveModel(scenario, run.calls, boundaryTie(trace, run.calls));
    assert.equal(letters(run.calls), letters(model), `share ${halfOpen.failureShare}`);
  }
});
