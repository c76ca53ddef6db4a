import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chaosReport } from '../src/fleet-demo/chaos-invariants.ts';
import type { ChaosRun } from '../src/fleet-demo/chaos-run.ts';
import type { WorkerCall } from '../src/fleet-demo/worker-protocol.ts';
import { runScript } from './helpers/run-command.ts';

const OPTIONS = {
  workers: 2,
  failures: 3,
  resetTimeoutMs: 1000,
  intervalMs: 100,
  requestTimeoutMs: 1000,
  redisUrl: 'redis://127.0.0.1:6379',
};

const failure = (at: number, foreign = false): WorkerCall => ({
  at,
  outcome: 'failure',
  trial: false,
  ...(foreign && { foreign: true as const }),
});

/** Two workers, one 4 s outage (from 10 000 to 14 000) during which worker 2 was cut off 1.5 s. */
function run(reachedByWorker1: number, closeAt: number, foreign = false): ChaosRun {
  return {
    startAt: 0,
    outages: [{ downAt: 10_000, upAt: 14_000, cutOffs: [1500, 0] }],
    faults: [],
    workers: [
      {
        index: 1,
        fellBack: false,
        calls: Array.from({ length: reachedByWorker1 }, (_, i) => failure(10_000 + i * 100)),
        transitions: [{ at: closeAt, to: 'closed' }],
      },
      {
        index: 2,
        fellBack: true,
        calls: [failure(15_000, foreign)],
        transitions: [{ at: 14_100, to: 'closed' }],
      },
    ],
  };
}

test('the chaos bound is threshold + one call in flight per other worker + one trial per reset timeout + the local trials of cut-off workers', () => {
  // 3 + 1 + ceil(4000 / 1000) + (ceil(1500 / 1000) + 1) = 3 + 1 + 4 + 3 = 11
  const within = chaosReport(OPTIONS, run(11, 14_500), 20_000);
  assert.deepEqual(within.outages[0]?.bound, {
    failures: 3,
    inFlight: 1,
    fleetTrials: 4,
    cutOffTrials: 3,
    total: 11,
  });
  assert.equal(within.holds, true);
  assert.deepEqual(within.fellBack, [2]);
  assert.equal(chaosReport(OPTIONS, run(12, 14_500), 20_000).holds, false, 'one call too many');
});

test('the chaos invariants fail on a worker closing later than reset timeout + 1 s, or on a caller seeing a Redis error', () => {
  const late = chaosReport(OPTIONS, run(5, 14_000 + 2001), 20_000);
  assert.equal(late.outages[0]?.recoveryMs, 2001);
  assert.equal(late.outages[0]?.closedInTime, false);
  assert.equal(late.holds, false);
  const foreign = chaosReport(OPTIONS, run(5, 14_500, true), 20_000);
  assert.equal(foreign.foreignErrors, 1);
  assert.equal(foreign.holds, false);
});

test('npm run fleet -- --chaos with a Redis on another machine prints one line and exits 2', async () => {
  const result = await runScript('src/cli/fleet.ts', ['--chaos'], {
    env: { REDIS_URL: 'redis://:secret@10.1.2.3:6379' },
  });
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.match(
    result.stderr,
    /^error: --chaos puts fault proxies on loopback in front of Redis: REDIS_URL must name this machine \(127\.0\.0\.1\), got "redis:\/\/:\*\*\*@10\.1\.2\.3:6379"\n$/,
  );
});
