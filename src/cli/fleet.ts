/**
 * `npm run fleet`: the same outage seen by N processes with one shared circuit (Redis) and with a
 * breaker each. Argument parsing and wiring only; see fleet-run.ts for the run itself.
 */
import { isMain, runMain } from './main-guard.ts';
import { UsageError } from './usage-error.ts';
import { chaosMain } from './fleet-chaos.ts';
import { serveFleetMetrics } from '../fleet-demo/fleet-metrics.ts';
import { fleetReport } from '../fleet-demo/figures.ts';
import { FLEET_COMMAND, parseFleetOptions, type FleetCliOptions } from './fleet-options.ts';
import { formatFleetReport } from '../fleet-demo/report.ts';
import { runMode, type ModeRun } from '../fleet-demo/run-mode.ts';
import { redactRedisUrl as redactUrl } from 'shared-circuit';
import { checkRedisUrl, probeRedis, redisUrlFromEnv } from '../fleet-demo/redis-availability.ts';
import { isWorkerFailedError, killAllWorkers } from '../fleet-demo/worker-process.ts';
import { onPath, REDIS_INSTALL_HINT } from '../fleet-demo/redis-availability.ts';
import type { FleetMode } from '../fleet-demo/worker-protocol.ts';

const START_REDIS = "redis-server --port 6379 --save '' --appendonly no";

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const options = parseFleetOptions(argv);
  if (options.help) return FLEET_COMMAND.printHelp();
  const redisUrl = redisUrlFromEnv();
  if (options.chaos) return chaosMain({ ...options, redisUrl });
  const { modes, skipped } = await chooseModes(options, redisUrl);
  const metrics =
    options.metricsPort === undefined ? undefined : await serveFleetMetrics(options.metricsPort);
  const settings = { ...options, redisUrl, ...(metrics ? { onCircuitEvent: metrics.record } : {}) };
  const runs: ModeRun[] = [];
  try {
    for (const mode of modes) {
      const seconds = Math.round((options.upMs + options.downMs + options.resetTimeoutMs) / 1000);
      console.error(
        `fleet: running ${mode} mode with ${options.workers} workers (about ${seconds} s)`,
      );
      runs.push(await runMode(mode, settings));
    }
  } catch (error) {
    if (!isWorkerFailedError(error)) throw error;
    console.error(`error: ${error.message}`);
    return 1;
  } finally {
    killAllWorkers();
    await metrics?.stop();
  }
  const report = fleetReport(settings, runs, skipped);
  console.log(options.json ? JSON.stringify(report, null, 2) : formatFleetReport(report));
  return 0;
}

/**
 * Shared mode needs Redis: demanded (--mode shared) and absent is bad input, exit 2; merely
 * defaulted (no --mode) and absent, one line says so and local mode runs alone.
 */
async function chooseModes(
  options: FleetCliOptions,
  redisUrl: string,
): Promise<{ modes: FleetMode[]; skipped: Partial<Record<FleetMode, string>> }> {
  if (options.mode === 'local') return { modes: ['local'], skipped: {} };
  // A REDIS_URL that is not one is bad input whatever the mode (one line, exit 2); only a Redis
  // that does not answer lets the default run the local mode alone.
  checkRedisUrl(redisUrl);
  let problem: string | undefined;
  const probe = await probeRedis(redisUrl);
  if (!probe.reachable) problem = `no Redis answers at ${redactUrl(redisUrl)} (${probe.reason})`;
  if (problem === undefined) {
    return { modes: options.mode === 'both' ? ['shared', 'local'] : ['shared'], skipped: {} };
  }
  // Without redis-server installed, "start one" is no help: say how to get it, as the tests do.
  const remedy = onPath('redis-server')
    ? `start one (${START_REDIS}) or set REDIS_URL`
    : `${REDIS_INSTALL_HINT}; or set REDIS_URL`;
  if (options.mode === 'shared') {
    throw new UsageError(`--mode shared needs Redis: ${problem}; ${remedy}`);
  }
  console.error(`fleet: ${problem}; running local mode only (for the shared mode: ${remedy})`);
  return { modes: ['local'], skipped: { shared: problem } };
}

if (isMain(import.meta.url)) {
  // Interrupted: take the workers down too (they also exit when they lose the parent).
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      killAllWorkers();
      process.exit(code);
    });
  }
  await runMain(main);
}
