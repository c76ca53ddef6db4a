import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIBRARIES } from '../src/libraries/registry.ts';
import { renderMatrixDoc } from '../src/matrix/matrix-doc.ts';
import { runMatrix, type MatrixRow } from '../src/matrix/run-matrix.ts';
import { loadScenarioFile } from '../src/scenario/scenario-file.ts';
import type { CallRecord } from '../src/scenario/trace.ts';
import { SPEED } from './helpers/timing.ts';

let matrix: Promise<MatrixRow[]> | undefined;
/** The half-open-sampling scenario for every library, run once for the tests below. */
async function sampling(): Promise<MatrixRow> {
  matrix ??= runMatrix({
    files: [loadScenarioFile('scenarios/half-open-sampling.json')],
    libraries: Object.values(LIBRARIES),
    speed: SPEED,
  });
  const [row] = await matrix;
  assert.ok(row);
  return row;
}

async function callsOf(library: string): Promise<CallRecord[]> {
  const run = (await sampling()).trace.runs.find((candidate) => candidate.library === library);
  assert.ok(run, library);
  return run.calls;
}

/** The trials of each half-open state, in order: the run of trial calls between non-trials. */
function halfOpenStates(calls: readonly CallRecord[]): CallRecord[][] {
  const states: CallRecord[][] = [];
  let previous: CallRecord | undefined;
  for (const call of calls) {
    if (call.trial && (!previous?.trial || previous.state !== 'half-open')) states.push([call]);
    else if (call.trial) states.at(-1)?.push(call);
    previous = call;
  }
  return states;
}

const halfBroken = (call: CallRecord) => call.server.startsWith('fail-every');

test('cockatiel samples 4 trials, re-opens on the second failure and lets only trials reach the half-broken server', async () => {
  const { cells } = await sampling();
  const calls = await callsOf('cockatiel');
  assert.match(cells.get('cockatiel')?.text ?? '', /\(as the model\)$/);
  const states = halfOpenStates(calls);
  const onHalfBroken = states.filter((state) => state.every(halfBroken));
  assert.ok(onHalfBroken.length > 0, 'half-open at least once on the half-broken server');
  for (const trials of onHalfBroken) {
    assert.ok(trials.length <= 4);
    assert.equal(trials.at(-1)?.state, 'open', 'each half-open state on fail-every=2 re-opens');
    assert.equal(trials.filter((trial) => trial.outcome === 'failure').length, 2);
  }
  const reached = calls.filter((call) => halfBroken(call) && call.outcome !== 'rejected');
  assert.ok(reached.length > 0 && reached.every((call) => call.trial));
  assert.equal(calls.at(-1)?.state, 'closed', 'four good trials close it once the server is on');
});

test('opossum closes on its one trial and the departure note says why', async () => {
  const { cells } = await sampling();
  const [first] = halfOpenStates(await callsOf('opossum'));
  assert.deepEqual(
    first?.map((trial) => `${trial.outcome} ${trial.state}`),
    ['success closed'],
  );
  assert.equal(cells.get('opossum')?.surprise?.mechanism, 'opossumOneTrial');
});

test('mollitia makes the 4 trials but closes with 2 of them failed, and the matrix names its reason', async () => {
  const row = await sampling();
  const [first] = halfOpenStates(await callsOf('mollitia'));
  assert.equal(first?.length, 4);
  assert.equal(first?.filter((trial) => trial.outcome === 'failure').length, 2);
  assert.equal(first?.at(-1)?.state, 'closed');
  assert.equal(row.cells.get('mollitia')?.surprise?.mechanism, 'mollitiaTrialRate');
  const doc = renderMatrixDoc([row], {
    speed: SPEED,
    generatedAt: new Date('2026-01-01T00:00:00Z'),
    node: process.versions.node,
    cpu: 'test CPU',
  });
  assert.match(
    doc,
    /^mollitia judges its 4 half-open trials once all are back, .* it re-opens when 4 of them failed, not 2: see note \[\(\d\)\]/m,
  );
  assert.ok(!doc.includes('reason not known'), doc);
});
