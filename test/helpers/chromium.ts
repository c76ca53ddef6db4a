import type { TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, missingChromium } from '../../src/report/timeline/chromium.ts';

/**
 * Why the system Chromium is not here, in one line that says how to get it; undefined when it is.
 * A test that needs it passes this as its `skip`: a fresh clone's `npm test` then passes and says
 * what it did not run. CI installs Chromium (.ci/run), so there the test always runs.
 */
export const CHROMIUM_MISSING = missingChromium();

/** The system Chromium, headless, closed when the test ends. */
export async function startChromium(t: TestContext): Promise<Browser> {
  const browser = await launchChromium();
  t.after(() => browser.close());
  return browser;
}

/** A page and what it reported: console errors, uncaught page errors, every request it made. */
export interface WatchedPage {
  page: Page;
  errors: string[];
  requests: string[];
}

export async function openWatchedPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
  const watched: WatchedPage = { page, errors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => watched.errors.push(`page: ${error.message}`));
  page.on('request', (request) => watched.requests.push(request.url()));
  return watched;
}
