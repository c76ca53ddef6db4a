import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's `chromium` package; `.ci/run` installs it. Playwright's own browsers are never fetched. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, and quiet: no background requests, updates, sync or first-run pages. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export class ChromiumMissingError extends Error {
  override readonly name = 'ChromiumMissingError';
}

export function isChromiumMissingError(error: unknown): error is ChromiumMissingError {
  return error instanceof ChromiumMissingError;
}

/**
 * Why the system Chromium cannot be launched, in one line (what is missing and how to get it), or
 * undefined when it is there.
 */
export function missingChromium(executablePath = CHROMIUM_PATH): string | undefined {
  if (existsSync(executablePath)) return undefined;
  return (
    `Chromium not found at ${executablePath}: install Debian's chromium package ` +
    '(apt-get install chromium), or run bash .ci/run, which installs it and runs the tests'
  );
}

/** Launches the system Chromium headless; throws ChromiumMissingError when it is not installed. */
export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Browser> {
  const missing = missingChromium(executablePath);
  if (missing !== undefined) throw new ChromiumMissingError(missing);
  // Loaded here, not at the top: every command's error handling imports this module, and
  // playwright-core costs each of them a tenth of a second or more at startup.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
}
