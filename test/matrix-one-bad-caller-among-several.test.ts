import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { fleetLibrary } from '../src/breakers/shared-circuit.ts';
import { LIBRARIES } from '../src/libraries/registry.ts';
import { runMatrix } from '../src/matrix/run-matrix.ts';
import { loadScenarioFile } from '../src/scenario/scenario-file.ts';
import type { CallRecord } from '../src/scenario/trace.ts';
import { redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { MATRIX_TEST_SPEED } from './helpers/timing.ts';

const broken = (call: CallRecord) => call.caller === 4; // the last of 4 callers
const sentIntoBrokenRoute = (calls: readonly CallRecord[]) =>
  calls.filter((call) => broken(call) && call.outcome !== 'rejected').length;

test('one caller of four with a broken route: a breaker per process stops it; the shared circuit needs minProcesses 2 to', async (t) => {
  const url = await redisUrl(t);
  const logged: string[] = [];
  const fleet = fleetLibrary({
    redisUrl: url,
    namespace: cleanedNamespace(t, url, 'matrix-bad-caller'),
    log: (line) => logged.push(line),
  });
  const [one, two] = await runMatrix({
    files: ['1', '2'].map((n) => loadScenarioFile(`scenarios/bad-caller-min-processes-${n}.json`)),
    libraries: [...Object.values(LIBRARIES), fleet],
    speed: MATRIX_TEST_SPEED,
  });
  assert.ok(one && two);
  assert.deepEqual(logged, [], 'the shared circuit stayed on Redis');
  const calls = (row: typeof one, library: string) =>
    row.trace.runs.find((run) => run.library === library)?.calls ?? [];
  // Bound for a breaker of its own: 3 failures, then one trial per 3 s reset timeout in 12 calls.
  const bound = 3 + Math.ceil(12 / 3);
  for (const row of [one, two]) {
    for (const library of ['opossum', 'cockatiel', 'mollitia']) {
      const records = calls(row, library);
      const sent = sentIntoBrokenRoute(records);
      assert.ok(sent >= 3 && sent <= bound, `${library}: ${sent} into the broken route`);
      assert.ok(
        records.filter((call) => !broken(call)).every((call) => call.outcome === 'success'),
      );
    }
  }
  // minProcesses 1: the healthy callers' successes reset the one shared count; nothing opens.
  const shared = calls(one, 'fleet');
  assert.equal(
    sentIntoBrokenRoute(shared),
    12,
    'every call of the broken caller went into its route',
  );
  assert.equal(one.cells.get('fleet')?.surprise?.mechanism, 'fleetSharedCount');
  // minProcesses 2: the broken caller's own circuit opens; the fleet's stays closed for the rest.
  const own = calls(two, 'fleet');
  const sent = sentIntoBrokenRoute(own);
  assert.ok(sent >= 3 && sent <= bound, `fleet, minProcesses 2: ${sent} into the broken route`);
  assert.ok(own.filter(broken).some((call) => call.outcome === 'rejected'));
  assert.ok(own.filter((call) => !broken(call)).every((call) => call.outcome === 'success'));
  // A call's state is the one its caller meets: the broken caller's own circuit opened, the
  // healthy callers met a closed fleet circuit throughout.
  assert.ok(
    own.filter(broken).some((call) => call.state === 'open'),
    'its own circuit opened',
  );
  assert.ok(
    own.filter((call) => !broken(call)).every((call) => call.state === 'closed'),
    "the fleet's circuit never opened",
  );
});
