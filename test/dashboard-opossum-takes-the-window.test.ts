import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BreakerLibrary, BreakerSettings } from '../src/breakers/breaker.ts';
import { opossum } from '../src/breakers/opossum.ts';
import { parseDashboardOptions } from '../src/cli/dashboard.ts';
import { DASHBOARD_LIBRARIES } from '../src/dashboard/dashboard-libraries.ts';
import { DEFAULT_SETTINGS } from '../src/dashboard/settings.ts';
import { OPOSSUM_WINDOW_ROLLED_MS } from './helpers/timing.ts';

const dashboardOpossum = DASHBOARD_LIBRARIES.find((library) => library.name === 'opossum');

/** The settings a caller builds its breaker with (src/dashboard/caller.ts), from `--window`. */
function settingsFromWindow(seconds: string): BreakerSettings {
  const given = parseDashboardOptions(['--window', seconds]).settings;
  const { failures, resetTimeoutMs, rollingWindowMs } = { ...DEFAULT_SETTINGS, ...given };
  return { failures, resetTimeoutMs, rollingWindowMs };
}

/** Three successes, a wait past the window, three failures: the state the library is left in. */
async function stateAfterOldSuccesses(library: BreakerLibrary, settings: BreakerSettings) {
  const breaker = library.create(settings);
  try {
    for (let i = 0; i < 3; i += 1) await breaker.execute(() => Promise.resolve('ok'));
    await sleep((settings.rollingWindowMs ?? 0) + OPOSSUM_WINDOW_ROLLED_MS);
    for (let i = 0; i < 3; i += 1) {
      await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => {});
    }
    return breaker.state;
  } finally {
    await breaker.dispose();
  }
}

test("--window reaches the dashboard's opossum: its rule names that window", () => {
  assert.ok(dashboardOpossum, 'the dashboard calls opossum');
  const rule = dashboardOpossum.rule?.(settingsFromWindow('4')) ?? '';
  assert.match(rule, /of the calls in its last 4 s failed, once 3 calls are in that window/);
});

test("the dashboard's opossum forgets calls older than the given window; the lab's keeps two reset timeouts", async () => {
  assert.ok(dashboardOpossum);
  const settings = settingsFromWindow('0.4');
  // Only the 3 failures are left in a 0.4 s window: 100% failed, 3 calls, so it opens.
  assert.equal(await stateAfterOldSuccesses(dashboardOpossum, settings), 'open');
  // The lab's adapter ignores the window (12 s here): 3 of 6 calls failed, not more than half.
  assert.equal(await stateAfterOldSuccesses(opossum, settings), 'closed');
});
