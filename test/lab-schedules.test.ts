import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIBRARIES } from '../src/libraries/registry.ts';
import { runScenario } from '../src/scenario/run-scenario.ts';
import { parseSchedule, SEED_SCENARIO, type Scenario } from '../src/scenario/scenario.ts';
import type { LibraryRun } from '../src/scenario/trace.ts';
import { consecutiveModel, type ModelCall } from '../src/scenario/consecutive-model.ts';
import { SPEED } from './helpers/timing.ts';

// A flapping server, threshold 2, 2.5 s open: every boundary is 0.5 s away from a call, so drift
// at SPEED cannot move a call across it.
const FLAPPING: Scenario = {
  ...SEED_SCENARIO,
  failures: 2,
  resetTimeout: 2.5,
  schedule: parseSchedule('off:4,on:3,off:5,on:4'),
  speed: SPEED,
};

const run = (scenario: Scenario) =>
  runScenario({ scenario, libraries: Object.values(LIBRARIES), host: '127.0.0.1', port: 0 });

function sequence(libraryRun: LibraryRun | undefined) {
  assert.ok(libraryRun);
  return libraryRun.calls.map(({ call, outcome, state, trial }) => ({
    call,
    outcome,
    state,
    trial,
  }));
}

test('the model: off:4,on:3,off:5,on:4 with 2 failures opens twice, re-opens once and trials three times', () => {
  const model = consecutiveModel(FLAPPING) ?? [];
  assert.deepEqual(
    model.map((call) => `${call.outcome[0]}${call.state[0]}${call.trial ? '*' : ''}`).join(' '),
    'fc fo ro ro sc* sc sc fc fo ro ro fo* ro ro sc* sc',
  );
});

test('cockatiel and mollitia follow consecutive-failure semantics on a flapping schedule', async () => {
  const trace = await run(FLAPPING);
  for (const library of ['cockatiel', 'mollitia']) {
    const libraryRun = trace.runs.find((r) => r.library === library);
    // The model is evaluated on the run's own call times, so a stalled machine cannot fail this.
    const model = consecutiveModel(FLAPPING, libraryRun?.calls);
    assert.deepEqual(sequence(libraryRun), model, `${library} differs from the model`);
  }
});

test('opossum opens the second outage late: its rolling window still holds the recovery successes', async () => {
  // opossum opens when failures / fires > errorThresholdPercentage (50) within its rolling window
  // (two reset timeouts, 5 s). At call 9, the second failure, the window still holds the recovery's
  // successes (calls 5-7), so 2 failures are not over half: it stays closed where the model opens.
  // A failure later the oldest success has left the window, and it opens.
  const trace = await run(FLAPPING);
  const opossumRun = trace.runs.find((r) => r.library === 'opossum');
  const opossum = sequence(opossumRun);
  const model = consecutiveModel(FLAPPING, opossumRun?.calls) ?? [];
  assert.deepEqual(opossum.slice(0, 7), model.slice(0, 7), 'the first outage and recovery match');
  for (const call of opossum.slice(7, 9)) {
    assert.deepEqual(call, { call: call.call, outcome: 'failure', state: 'closed', trial: false });
  }
  assert.equal(model[8]?.state, 'open', 'the model opens at the second failure');
  assert.ok(
    opossum.slice(9, 12).some((call) => call.state === 'open'),
    'opossum opens before the outage ends',
  );
  assert.equal(opossumRun?.summary.opened, 2);
});

test('every library follows the seed scenario call by call, and its summary adds up its calls', async () => {
  const trace = await run({ ...SEED_SCENARIO, speed: SPEED });
  for (const libraryRun of trace.runs) {
    const model = consecutiveModel(SEED_SCENARIO, libraryRun.calls) ?? [];
    assert.deepEqual(sequence(libraryRun), model, libraryRun.library);
    // The summary adds up what happened; the server counted the successes itself.
    const count = (keep: (call: ModelCall, index: number) => boolean) => model.filter(keep).length;
    assert.equal(
      libraryRun.summary.reachedServer,
      count((call) => call.outcome === 'success'),
    );
    assert.equal(
      libraryRun.summary.rejected,
      count((call) => call.outcome === 'rejected'),
    );
    assert.equal(
      libraryRun.summary.trials,
      count((call) => call.trial),
    );
    // Opened: the call that first opened it, and each failed trial that re-opened it.
    assert.equal(
      libraryRun.summary.opened,
      count(
        (call, index) =>
          call.state === 'open' && (call.trial || model[index - 1]?.state !== 'open'),
      ),
    );
  }
});
