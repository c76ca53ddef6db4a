import assert from 'node:assert/strict';
import { test } from './helpers/redis-test.ts';
import type { Page } from 'playwright-core';
import type { DashboardEvent } from '../src/dashboard/dashboard-event.ts';
import { startDashboard } from '../src/dashboard/dashboard.ts';
import { openWatchedPage, startChromium } from './helpers/chromium.ts';
import { redisUrl } from './helpers/redis.ts';
import { OPOSSUM_WINDOW_SLACK_CALLS, PAGE_DEADLINE_MS, waitUntil } from './helpers/timing.ts';

/** Set through the page's form: quick enough for a few seconds' test, slow enough to watch. */
const FAILURES = 2;
const DELAY_S = 0.05;
const RESET_TIMEOUT_S = 0.6;
const WINDOW_S = 0.5;

const LIBRARIES = ['opossum', 'cockatiel', 'mollitia', 'fleet'];
/** Open after exactly N consecutive failures; opossum counts a rate over its window instead. */
const CONSECUTIVE = ['cockatiel', 'mollitia', 'fleet'];

async function lanes(page: Page): Promise<Record<string, { state: string; openedAfter: string }>> {
  return page.$$eval('section.lane', (sections) =>
    Object.fromEntries(
      sections.map((lane) => [
        lane.getAttribute('data-library') ?? '',
        {
          state: lane.getAttribute('data-state') ?? '',
          openedAfter: lane.getAttribute('data-opened-after') ?? '',
        },
      ]),
    ),
  );
}

async function allIn(page: Page, state: string): Promise<void> {
  await waitUntil(
    `every lane on the page shows ${state}`,
    async () => {
      const shown = await lanes(page);
      return LIBRARIES.every((library) => shown[library]?.state === state);
    },
    PAGE_DEADLINE_MS,
  );
}

test('the page shows every library open within its threshold when the server goes off, and closed again when it comes back', async (t) => {
  const dashboard = await startDashboard({ redisUrl: await redisUrl(t), log: () => {} });
  t.after(() => dashboard.stop());
  const events: DashboardEvent[] = [];
  dashboard.onEvent((event) => events.push(event));

  const browser = await startChromium(t);
  const { page, errors, requests } = await openWatchedPage(browser);
  await page.goto(dashboard.url);
  await page.waitForSelector('section.lane[data-library="fleet"]', { timeout: PAGE_DEADLINE_MS });
  assert.deepEqual(Object.keys(await lanes(page)), LIBRARIES);

  // The settings, through the page's own form.
  await page.fill('input[name="failures"]', String(FAILURES));
  await page.fill('input[name="delayMs"]', String(DELAY_S));
  await page.fill('input[name="resetTimeoutMs"]', String(RESET_TIMEOUT_S));
  await page.fill('input[name="rollingWindowMs"]', String(WINDOW_S));
  await page.click('#settings button[type="submit"]');
  await waitUntil('the new settings apply', () => events.some((e) => e.type === 'settings'));
  const settingsAt = events.find((e) => e.type === 'settings')?.at ?? 0;
  // Every library has succeeded lately, and opossum's window holds nothing older than the settings.
  const successesSince = (library: string) =>
    events.filter(
      (e) =>
        e.type === 'call' && e.library === library && e.outcome === 'success' && e.at > settingsAt,
    ).length;
  await waitUntil('every library has called successfully on its new breaker', () =>
    LIBRARIES.every((library) => successesSince(library) >= 3),
  );

  await page.click('button[data-server="off"]');
  await allIn(page, 'open');
  const opened = await lanes(page);
  for (const library of CONSECUTIVE) {
    assert.equal(opened[library]?.openedAfter, String(FAILURES), `${library} opened after`);
  }
  // opossum opens once the successes have left its rolling window, not after N failures.
  const opossum = Number(opened['opossum']?.openedAfter);
  const bound = Math.ceil((WINDOW_S * 1.1) / DELAY_S) + 1 + OPOSSUM_WINDOW_SLACK_CALLS;
  assert.ok(opossum >= FAILURES && opossum <= bound, `opossum opened after ${opossum} failures`);
  assert.equal(await page.textContent('#server-mode'), 'off');

  await page.click('button[data-server="on"]');
  await allIn(page, 'closed');
  // Each closed through a trial call that reached the server and succeeded, drawn as such.
  for (const library of LIBRARIES) {
    const trials = await page.$$(
      `section.lane[data-library="${library}"] g.call[data-trial="true"][data-outcome="success"]`,
    );
    assert.ok(trials.length >= 1, `${library} shows its successful trial call`);
  }

  assert.deepEqual(errors, []);
  const foreign = requests.filter((url) => !url.startsWith(dashboard.url));
  assert.deepEqual(foreign, [], 'the page fetched nothing but its own files and stream');
});
