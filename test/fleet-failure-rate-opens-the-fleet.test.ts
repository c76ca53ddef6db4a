import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import { redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { runCallerFleet } from './helpers/caller-fleet.ts';
import { startTestServer } from './helpers/test-server.ts';
import { FAILURE_RATE_OPEN_WITHIN_MS } from './helpers/timing.ts';

const PROCESSES = 4;

test(
  '4 processes, a dependency failing 40% of calls at random, failureRatio 0.3 over 2 s with a throughput of 20: every process is open within 2.5 s',
  { timeout: 60_000 },
  async (t) => {
    const server = await startTestServer(t);
    server.mode = { kind: 'flaky', rate: 0.4 };
    const url = await redisUrl(t);
    const common = { name: 'flaky', redisUrl: url, resetTimeoutMs: 60_000 };
    const rate = await runCallerFleet(
      t,
      Array.from({ length: PROCESSES }, () => server.url),
      {
        ...common,
        namespace: cleanedNamespace(t, url, 'rate'),
        failures: 1000,
        failureRatio: 0.3,
        minimumThroughput: 20,
        samplingDurationMs: 2000,
      },
      { intervalMs: 20, durationMs: 3000 },
    );
    for (const [index, one] of rate.entries()) {
      assert.ok(
        one.fleetOpenedAfterMs !== null && one.fleetOpenedAfterMs <= FAILURE_RATE_OPEN_WITHIN_MS,
        `process ${index + 1} opened after ${one.fleetOpenedAfterMs} ms`,
      );
    }
    t.diagnostic(
      `rate rule: opened after ${rate.map((one) => Math.round(one.fleetOpenedAfterMs ?? -1)).join(', ')} ms; failed calls ${rate.map((one) => one.failed).join(', ')}`,
    );

    // Measured beside it (a finding, not a bound): consecutive failures (5) on the same traffic. At
    // random, 40% failures show runs of 5 often enough that this rule opens about as soon.
    const consecutive = await runCallerFleet(
      t,
      Array.from({ length: PROCESSES }, () => server.url),
      { ...common, namespace: cleanedNamespace(t, url, 'consecutive'), failures: 5 },
      { intervalMs: 20, durationMs: 3000 },
    );
    t.diagnostic(
      `consecutive rule (5): opened after ${consecutive.map((one) => (one.fleetOpenedAfterMs === null ? 'never' : Math.round(one.fleetOpenedAfterMs))).join(', ')} ms; failed calls ${consecutive.map((one) => one.failed).join(', ')}`,
    );
  },
);
