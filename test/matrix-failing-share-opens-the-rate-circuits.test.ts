import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { fleetLibrary } from '../src/breakers/shared-circuit.ts';
import { LIBRARIES } from '../src/libraries/registry.ts';
import { runMatrix } from '../src/matrix/run-matrix.ts';
import { loadScenarioFile } from '../src/scenario/scenario-file.ts';
import { redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { MATRIX_TEST_SPEED } from './helpers/timing.ts';

test('a server failing every other call: the shared circuit in rate mode and opossum on its rolling rate open, consecutive counting never does', async (t) => {
  const url = await redisUrl(t);
  const logged: string[] = [];
  const fleet = fleetLibrary({
    redisUrl: url,
    namespace: cleanedNamespace(t, url, 'matrix-rate'),
    log: (line) => logged.push(line),
  });
  const [row] = await runMatrix({
    files: [loadScenarioFile('scenarios/failure-rate.json')],
    libraries: [...Object.values(LIBRARIES), fleet],
    speed: MATRIX_TEST_SPEED,
  });
  assert.ok(row);
  assert.deepEqual(logged, [], 'the shared circuit stayed on Redis');
  const run = (library: string) => {
    const found = row.trace.runs.find((candidate) => candidate.library === library);
    assert.ok(found, library);
    return found;
  };
  for (const library of ['cockatiel', 'mollitia']) {
    // fail-every=2 never gives 3 failures in a row: consecutive counting stays closed throughout.
    assert.equal(run(library).summary.opened, 0, library);
    assert.match(
      row.cells.get(library)?.text ?? '',
      /^never opened: \d+ failures, at most 1 in a row/,
    );
  }
  for (const library of ['opossum', 'fleet']) {
    const calls = run(library).calls;
    const firstOpen = calls.find((call) => call.state === 'open');
    assert.ok(firstOpen, `${library} opened on the failing share`);
    assert.ok(
      firstOpen.server.startsWith('fail-every'),
      `${library} opened during the failing phase`,
    );
    assert.ok(
      calls.some((call) => call.outcome === 'rejected'),
      `${library} rejected calls`,
    );
    assert.match(row.cells.get(library)?.text ?? '', /^opened at call \d+, after \d+ failures/);
  }
  // Rejections kept calls away from the failing server: fewer reached it than through cockatiel.
  assert.ok(run('fleet').summary.reachedServer < run('cockatiel').summary.reachedServer);
  assert.ok(run('opossum').summary.reachedServer < run('cockatiel').summary.reachedServer);
});
