import { UsageError } from './usage-error.ts';
import { epochNow } from '../fleet-demo/worker-protocol.ts';
import { redactRedisUrl as redactUrl } from 'shared-circuit';
import { probeRedis } from '../fleet-demo/redis-availability.ts';
import { chaosReport } from '../fleet-demo/chaos-invariants.ts';
import { formatChaosReport } from '../fleet-demo/chaos-report.ts';
import { runChaos, type ChaosOptions } from '../fleet-demo/chaos-run.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * `npm run fleet -- --chaos`: checks Redis, runs the chaos schedule, prints the report (or JSON).
 * Exit code 0 when every invariant held, 1 when one failed.
 */
export async function chaosMain(options: ChaosOptions & { json: boolean }): Promise<number> {
  let host: string;
  try {
    const url = new URL(options.redisUrl);
    if (url.protocol !== 'redis:') throw new Error('not redis:');
    host = url.hostname;
  } catch {
    throw new UsageError(
      `--chaos needs REDIS_URL of the form redis://127.0.0.1:port, got "${redactUrl(options.redisUrl)}"`,
    );
  }
  if (!LOOPBACK.has(host)) {
    throw new UsageError(
      `--chaos puts fault proxies on loopback in front of Redis: REDIS_URL must name this machine (127.0.0.1), got "${redactUrl(options.redisUrl)}"`,
    );
  }
  const probe = await probeRedis(options.redisUrl);
  if (!probe.reachable) {
    throw new UsageError(
      `--chaos needs Redis: no Redis answers at ${redactUrl(options.redisUrl)} (${probe.reason}); start one or set REDIS_URL`,
    );
  }
  console.error(`fleet: chaos run with ${options.workers} workers (about 30 s)`);
  const run = await runChaos(options);
  const report = chaosReport(options, run, epochNow());
  console.log(options.json ? JSON.stringify(report, null, 2) : formatChaosReport(report));
  return report.holds ? 0 : 1;
}
