import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import type { FleetReport } from '../src/fleet-demo/figures.ts';
import { redisUrl } from './helpers/redis.ts';
import { runScript } from './helpers/run-command.ts';
import { FLEET_IN_FLIGHT_SLACK } from './helpers/timing.ts';

const WORKERS = 4;
const FAILURES = 3;
const DOWN_S = 2;
const RESET_TIMEOUT_S = 0.5;

test('npm run fleet: while the server is down, the shared circuit sends the failures plus one trial per reset timeout, local breakers several times that', async (t) => {
  const url = await redisUrl(t);
  const args = [
    ...['--workers', String(WORKERS), '--failures', String(FAILURES)],
    ...['--down', String(DOWN_S), '--reset-timeout', String(RESET_TIMEOUT_S), '--up', '0.5'],
    '--json',
  ];
  const result = await runScript('src/cli/fleet.ts', args, {
    env: { REDIS_URL: url },
    timeoutMs: 90_000,
  });
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as FleetReport;
  assert.equal(report.workers, WORKERS);
  assert.equal(report.failures, FAILURES);
  const shared = report.modes.shared;
  const local = report.modes.local;
  assert.ok(shared && local, 'both modes ran');
  assert.equal(shared.fellBack, false);
  assert.equal(shared.perWorker.length, WORKERS);

  const resetPeriods = Math.ceil(DOWN_S / RESET_TIMEOUT_S);
  assert.ok(
    shared.trialsWhileDown <= resetPeriods,
    `one trial per reset timeout in the whole fleet: ${shared.trialsWhileDown} trials in ${resetPeriods} periods`,
  );
  assert.ok(
    shared.reachedWhileDown - shared.trialsWhileDown <= FAILURES + FLEET_IN_FLIGHT_SLACK,
    `failures before the shared circuit opened: ${shared.reachedWhileDown - shared.trialsWhileDown}`,
  );
  assert.ok(
    shared.reachedWhileDown >= FAILURES,
    'the failures that open the circuit reach the server',
  );
  assert.ok(
    local.reachedWhileDown >= 2 * shared.reachedWhileDown,
    `local ${local.reachedWhileDown} vs shared ${shared.reachedWhileDown}`,
  );
  assert.ok(shared.recoveryMs !== null && local.recoveryMs !== null, 'every worker closed again');
});
