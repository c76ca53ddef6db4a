/**
 * Runs the seed scenario at 10x for every library against the real mock server, renders its
 * timeline report and saves a PNG of it for docs/faults-and-matrix.md: `npm run report:screenshot`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LIBRARIES } from '../libraries/registry.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import { SEED_SCENARIO } from '../scenario/scenario.ts';
import { isMain, runMain } from './main-guard.ts';
import { launchChromium } from '../report/timeline/chromium.ts';
import { commandLine } from './command-line.ts';
import { writeTimelineReport } from '../report/timeline/page.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PNG = join(ROOT, 'docs/images/timeline.png');
const SPEED = 10;

export const SCREENSHOT_COMMAND = commandLine({
  usage: 'npm run report:screenshot',
  about:
    'Runs the seed scenario at 10x and saves docs/images/timeline.png: rewrites that file, which is tracked in git.',
  options: { help: { help: 'show this help' } },
});

async function main(argv: readonly string[]): Promise<number> {
  const values = SCREENSHOT_COMMAND.parse(argv);
  if (values.help) return SCREENSHOT_COMMAND.printHelp();
  // The browser first: without Chromium there is no point running the scenario.
  const browser = await launchChromium();
  const folder = await mkdtemp(join(tmpdir(), 'timeline-'));
  try {
    const trace = await runScenario({
      scenario: { ...SEED_SCENARIO, speed: SPEED },
      libraries: Object.values(LIBRARIES),
      host: '127.0.0.1',
    });
    const html = join(folder, 'timeline.html');
    await writeTimelineReport(trace, html, { title: "The seed's scenario: server off, then on" });
    try {
      const page = await browser.newPage({
        viewport: { width: 1240, height: 200 },
        deviceScaleFactor: 1.5,
      });
      await page.goto(pathToFileURL(html).href);
      await mkdir(dirname(PNG), { recursive: true });
      await page.screenshot({ path: PNG, fullPage: true });
    } finally {
      await browser.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  console.log(`wrote ${PNG}`);
  return 0;
}

if (isMain(import.meta.url)) await runMain(() => main(process.argv.slice(2)));
