import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { cockatiel } from '../src/breakers/cockatiel.ts';
import { fleetLibrary } from '../src/breakers/shared-circuit.ts';
import { consecutiveModel } from '../src/scenario/consecutive-model.ts';
import { runScenario } from '../src/scenario/run-scenario.ts';
import { SEED_SCENARIO } from '../src/scenario/scenario.ts';
import { redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { SPEED } from './helpers/timing.ts';

test('the Redis-shared fleet circuit runs in the lab beside cockatiel and follows the seed scenario', async (t) => {
  // The fleet falls back to a local cockatiel breaker without Redis, which would pass this test
  // too: any line it logs (unreachable, back) fails it.
  const logged: string[] = [];
  const url = await redisUrl(t);
  const fleet = fleetLibrary({
    redisUrl: url,
    namespace: cleanedNamespace(t, url, 'lab'),
    log: (line) => logged.push(line),
  });
  const trace = await runScenario({
    scenario: { ...SEED_SCENARIO, speed: SPEED },
    libraries: [cockatiel, fleet],
    host: '127.0.0.1',
    port: 0,
  });
  assert.deepEqual(logged, [], 'the fleet circuit stayed on Redis');
  for (const run of trace.runs) {
    assert.deepEqual(
      run.calls.map(({ call, outcome, state, trial }) => ({ call, outcome, state, trial })),
      consecutiveModel(SEED_SCENARIO, run.calls),
      run.library,
    );
    assert.equal(run.summary.reachedServer, 6, run.library);
    assert.equal(run.summary.opened, 2, run.library);
  }
});
