import type { TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../src/report/timeline/chromium.ts';

/**
 * The system Chromium, headless, closed when the test ends. When it is not installed the test
 * FAILS with the reason (CI installs it): a skipped browser test would hide a broken report.
 */
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
