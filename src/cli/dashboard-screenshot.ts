/**
 * Runs the dashboard at a speed-up, clicks the server off and on again in headless Chromium, and
 * saves a PNG of the page for docs/dashboard.md: `npm run dashboard:screenshot`.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isMain, runMain } from './main-guard.ts';
import { commandLine } from './command-line.ts';
import { probeRedis, redisUrlFromEnv } from '../fleet-demo/redis-availability.ts';
import { launchChromium } from '../report/timeline/chromium.ts';
import { startDashboard } from '../dashboard/dashboard.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PNG = join(ROOT, 'docs/images/dashboard.png');

const SCREENSHOT_COMMAND = commandLine({
  usage: 'npm run dashboard:screenshot',
  about: `Runs the dashboard (with the shared circuit when REDIS_URL answers), turns the server
off and on from the page, and rewrites docs/images/dashboard.png.`,
  options: { help: { help: 'show this help' } },
});

async function main(argv: readonly string[]): Promise<number> {
  const values = SCREENSHOT_COMMAND.parse(argv);
  if (values.help) return SCREENSHOT_COMMAND.printHelp();
  const browser = await launchChromium();
  const url = redisUrlFromEnv();
  const redis = (await probeRedis(url)).reachable;
  const dashboard = await startDashboard({
    settings: { delayMs: 150, resetTimeoutMs: 2000, requestTimeoutMs: 1000, rollingWindowMs: 3000 },
    ...(redis ? { redisUrl: url } : {}),
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 1240, height: 300 },
      deviceScaleFactor: 1.5,
    });
    await page.goto(dashboard.url);
    await sleep(2500);
    await page.click('button[data-server="off"]');
    await sleep(4500);
    await page.click('button[data-server="on"]');
    await sleep(3500);
    await mkdir(dirname(PNG), { recursive: true });
    await page.screenshot({ path: PNG, fullPage: true });
  } finally {
    await browser.close();
    await dashboard.stop();
  }
  console.log(`wrote ${PNG}${redis ? '' : ' (no Redis answered: without the shared circuit)'}`);
  return 0;
}

if (isMain(import.meta.url)) await runMain(() => main(process.argv.slice(2)));
