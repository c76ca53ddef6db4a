/** `npm run dashboard`: the live page. Options and wiring only; see src/dashboard/. */
import { startDashboard } from '../dashboard/dashboard.ts';
import {
  DEFAULT_SETTINGS,
  MAX_MS,
  MIN_DELAY_MS,
  type DashboardSettings,
} from '../dashboard/settings.ts';
import { redactRedisUrl as redactUrl } from 'shared-circuit';
import { probeRedis, redisUrlFromEnv } from '../fleet-demo/redis-availability.ts';
import { isMain, runMain } from './main-guard.ts';
import { parsePort, parsePositive, parseWhole } from './numbers.ts';
import { commandLine } from './command-line.ts';
import { UsageError } from './usage-error.ts';

const DEFAULT_PORT = 8000;
const s = (ms: number) => ms / 1000;

export const DASHBOARD_COMMAND = commandLine({
  usage: 'npm run dashboard -- [options]',
  about: `Starts the mock server, one caller per library (opossum, cockatiel, mollitia, and the circuit shared
in Redis when REDIS_URL answers) calling it in a loop, and a page on loopback that shows each
circuit's state and its last calls live, with buttons for the server's modes and the settings.
Prints the page's URL first. Ctrl-C stops everything.`,
  options: {
    port: { value: '<n>', help: `port of the page, 0 for a free one (default ${DEFAULT_PORT})` },
    failures: {
      value: '<n>',
      help: `consecutive failures that open a circuit (default ${DEFAULT_SETTINGS.failures})`,
    },
    'reset-timeout': {
      value: '<s>',
      help: `seconds a circuit stays open before one trial call (default ${s(DEFAULT_SETTINGS.resetTimeoutMs)})`,
    },
    delay: {
      value: '<s>',
      help: `seconds between one library's calls (default ${s(DEFAULT_SETTINGS.delayMs)})`,
    },
    'request-timeout': {
      value: '<s>',
      help: `seconds before a call with no answer fails (default ${s(DEFAULT_SETTINGS.requestTimeoutMs)})`,
    },
    window: {
      value: '<s>',
      help: `opossum's rolling window, rollingCountTimeout (default ${s(DEFAULT_SETTINGS.rollingWindowMs)})`,
    },
    'no-fleet': { help: 'leave the shared circuit out even when Redis answers' },
    help: { help: 'show this help' },
  },
  footer: `Environment:
  REDIS_URL              Redis for the shared circuit (default redis://127.0.0.1:6379)`,
});

export interface DashboardCliOptions {
  port: number;
  settings: Partial<DashboardSettings>;
  fleet: boolean;
  help: boolean;
}

export function parseDashboardOptions(argv: readonly string[]): DashboardCliOptions {
  const values = DASHBOARD_COMMAND.parse(argv);
  const settings: Partial<DashboardSettings> = {};
  if (values.failures !== undefined) settings.failures = parseWhole('--failures', values.failures);
  const seconds = (option: string, raw: string | undefined, set: (ms: number) => void) => {
    if (raw !== undefined) set(parsePositive(option, raw) * 1000);
  };
  seconds('--reset-timeout', values['reset-timeout'], (ms) => (settings.resetTimeoutMs = ms));
  seconds('--delay', values.delay, (ms) => (settings.delayMs = ms));
  seconds('--request-timeout', values['request-timeout'], (ms) => (settings.requestTimeoutMs = ms));
  seconds('--window', values.window, (ms) => (settings.rollingWindowMs = ms));
  // The page's own limits, said in the flags' units.
  const limits = [
    ['--reset-timeout', values['reset-timeout'], settings.resetTimeoutMs, 0],
    ['--delay', values.delay, settings.delayMs, MIN_DELAY_MS],
    ['--request-timeout', values['request-timeout'], settings.requestTimeoutMs, 0],
    ['--window', values.window, settings.rollingWindowMs, 0],
  ] as const;
  for (const [option, raw, ms, min] of limits) {
    if (ms !== undefined && (ms > MAX_MS || ms < min)) {
      const range = min === 0 ? `> 0 and <= ${s(MAX_MS)}` : `from ${s(min)} to ${s(MAX_MS)}`;
      throw new UsageError(`${option} must be a number of seconds ${range}, got "${raw}"`);
    }
  }
  if (settings.failures !== undefined && settings.failures > 1000) {
    throw new UsageError(
      `--failures must be a whole number from 1 to 1000, got "${values.failures}"`,
    );
  }
  return {
    port: values.port === undefined ? DEFAULT_PORT : parsePort(values.port),
    settings,
    fleet: !(values['no-fleet'] ?? false),
    help: values.help ?? false,
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  const options = parseDashboardOptions(argv);
  if (options.help) return DASHBOARD_COMMAND.printHelp();
  // Stop on the first signal, even one that arrives while still starting.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const redisUrl = options.fleet ? await reachableRedis() : undefined;
  const dashboard = await startDashboard({
    port: options.port,
    settings: options.settings,
    ...(redisUrl !== undefined ? { redisUrl } : {}),
  });
  console.log(dashboard.url);
  console.log(`Mock server on ${dashboard.serverUrl}; open the page above. Ctrl-C to stop.`);
  await stopped;
  await dashboard.stop();
  console.log('Stopped: callers, mock server and page.');
  return 0;
}

/** REDIS_URL (or the default) when a Redis server answers there; otherwise one line on stderr says so. */
async function reachableRedis(): Promise<string | undefined> {
  const url = redisUrlFromEnv();
  const probe = await probeRedis(url);
  if (probe.reachable) return url;
  console.error(
    `dashboard: no Redis answers at ${redactUrl(url)} (${probe.reason}); the shared circuit is left out (set REDIS_URL to include it)`,
  );
  return undefined;
}

if (isMain(import.meta.url)) await runMain(() => main(process.argv.slice(2)));
