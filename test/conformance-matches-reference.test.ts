import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  loadReferenceFixtures,
  type ReferenceFixture,
} from '../src/conformance/reference-fixture.ts';
import { consecutiveModel } from '../src/scenario/consecutive-model.ts';
import { parseSchedule } from '../src/scenario/scenario.ts';
import type { ConformanceResult } from '../src/conformance/run-conformance.ts';
import { runScript } from './helpers/run-command.ts';

const fixtures = loadReferenceFixtures();

test('the committed corpus holds the seed, the expressible scenarios and generated schedules', () => {
  const names = fixtures.map((fixture) => fixture.name);
  assert.ok(names.includes('seed'));
  for (const id of ['flapping', 'hang', 'http-503', 'ignored-404', 'long-outage', 'slow'])
    assert.ok(names.includes(`scenario-${id}`), `scenario-${id}`);
  assert.ok(names.filter((name) => name.startsWith('generated-')).length >= 20);
  for (const fixture of fixtures) {
    assert.equal(fixture.reference.package, 'circuitbreaker');
    assert.equal(
      fixture.calls.length,
      parseSchedule(fixture.schedule).reduce((sum, phase) => sum + phase.calls, 0),
      fixture.name,
    );
  }
});

test("the lab's consecutive-failure model predicts what the seed's package did on every fixture", () => {
  for (const fixture of fixtures.filter((candidate) => modelCanPredict(candidate))) {
    const model = consecutiveModel(
      { ...fixture.parameters, schedule: parseSchedule(fixture.schedule) },
      fixture.calls,
    );
    assert.deepEqual(
      model?.map(({ call, outcome, state, trial }) => ({ call, outcome, state, trial })),
      fixture.calls.map(({ call, outcome, state, trial }) => ({ call, outcome, state, trial })),
      fixture.name,
    );
  }
});

test('npm run conformance: cockatiel and mollitia match every fixture call by call', async () => {
  const run = await runScript('src/cli/conformance.ts', ['--json'], { timeoutMs: 110_000 });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as ConformanceResult;
  assert.equal(result.fixtures, fixtures.length);
  assert.deepEqual(Object.keys(result.libraries), ['opossum', 'cockatiel', 'mollitia']);
  for (const name of ['cockatiel', 'mollitia']) {
    assert.deepEqual(result.libraries[name]?.mismatches, [], name);
    assert.equal(result.libraries[name]?.matched, fixtures.length, name);
  }
  // opossum counts a failure rate, so it may differ; each difference names a real fixture call.
  const opossum = result.libraries['opossum'];
  assert.ok(opossum);
  assert.equal(opossum.matched + opossum.mismatches.length, fixtures.length);
  for (const mismatch of opossum.mismatches) {
    const expected = fixtures.find((fixture) => fixture.name === mismatch.fixture)?.calls[
      mismatch.call - 1
    ];
    assert.deepEqual(mismatch.expected, { outcome: expected?.outcome, state: expected?.state });
    assert.notDeepEqual(mismatch.actual, mismatch.expected);
  }
});

test('bad options print one line and exit 2', async () => {
  for (const args of [
    ['--bogus'],
    ['--library', 'hystrix'],
    ['--parallel', '0'],
    ['--fixtures', 'nowhere'],
  ]) {
    const run = await runScript('src/cli/conformance.ts', args);
    assert.equal(run.code, 2, args.join(' '));
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^error: /);
  }
});

/** The model leaves out ignored statuses (it predicts nothing there). */
function modelCanPredict(fixture: ReferenceFixture): boolean {
  return fixture.parameters.ignoreStatuses.length === 0;
}
