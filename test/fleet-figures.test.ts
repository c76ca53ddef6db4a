import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fleetReport } from '../src/fleet-demo/figures.ts';
import { formatFleetReport } from '../src/fleet-demo/report.ts';
import type { FleetRunOptions, ModeRun } from '../src/fleet-demo/run-mode.ts';

const OPTIONS: FleetRunOptions = {
  workers: 2,
  failures: 3,
  resetTimeoutMs: 2000,
  upMs: 2000,
  downMs: 10_000,
  intervalMs: 100,
  requestTimeoutMs: 1000,
  redisUrl: 'redis://127.0.0.1:6379',
};

/** Down from t=1000 to t=11 000 (epoch ms, made small). */
const RUN: ModeRun = {
  mode: 'shared',
  downAt: 1000,
  upAt: 11_000,
  workers: [
    {
      index: 1,
      fellBack: false,
      calls: [
        { at: 900, outcome: 'success', trial: false }, // before the outage
        { at: 1000, outcome: 'failure', trial: false },
        { at: 1100, outcome: 'failure', trial: false },
        { at: 1200, outcome: 'rejected', trial: false },
        { at: 3200, outcome: 'failure', trial: true },
        { at: 11_100, outcome: 'success', trial: true }, // after: not "while down"
      ],
      transitions: [
        { at: 1150, to: 'open' },
        { at: 11_120, to: 'closed' },
      ],
    },
    {
      index: 2,
      fellBack: false,
      calls: [
        { at: 1050, outcome: 'failure', trial: false },
        { at: 1250, outcome: 'rejected', trial: false },
      ],
      transitions: [
        { at: 1150, to: 'open' },
        { at: 11_300, to: 'closed' },
      ],
    },
  ],
};

test('fleet figures count the calls that reached the server while it was down, the trials, and the last worker closing', () => {
  const report = fleetReport(OPTIONS, [RUN]);
  assert.deepEqual(report.expectedAtMost, { shared: 8, local: 16 });
  const shared = report.modes.shared;
  assert.ok(shared);
  assert.equal(shared.reachedWhileDown, 4);
  assert.equal(shared.trialsWhileDown, 1);
  assert.equal(shared.trials, 2);
  assert.equal(shared.recoveryMs, 300, 'all closed when the last worker closed');
  assert.deepEqual(
    shared.perWorker.map((worker) => [worker.reachedWhileDown, worker.trials, worker.recoveryMs]),
    [
      [3, 2, 120],
      [1, 0, 300],
    ],
  );
  assert.equal(report.modes.local, undefined);
});

test('the text report puts each mode in a column and names a mode that did not run', () => {
  const text = formatFleetReport(fleetReport(OPTIONS, [RUN], { local: 'just because' }));
  assert.match(text, /^fleet: 2 workers, open after 3 failures, reset timeout 2 s/);
  assert.match(text, /calls that reached the server while down\s+4$/m);
  assert.match(text, /server back -> all workers closed\s+0\.30 s$/m);
  assert.match(text, /worker 2\s+1 \/ 0 \/ 0\.30 s$/m);
  assert.match(text, /local mode not run: just because/);
});
