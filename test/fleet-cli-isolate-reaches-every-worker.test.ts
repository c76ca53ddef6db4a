import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from './helpers/redis-test.ts';
import { samples } from './helpers/prometheus-text.ts';
import { cleanUp, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { ROOT, runScript } from './helpers/run-command.ts';
import { FLEET_DEADLINE_MS, waitUntil } from './helpers/timing.ts';

const WORKERS = 3;

test('npm run circuit -- isolate makes every worker of a running npm run fleet reject within the propagation time', async (t) => {
  const url = await redisUrl(t);
  const namespace = cleanedNamespace(t, url, 'fleet-isolate');
  // A long first "up" phase: the isolation comes while the server answers, so only it rejects.
  const child = spawn(
    process.execPath,
    [
      ...['--import', 'tsx', 'src/cli/fleet.ts', '--mode', 'shared', '--workers', String(WORKERS)],
      ...['--up', '30', '--down', '0.5', '--reset-timeout', '0.5'],
      ...['--namespace', namespace, '--metrics-port', '0', '--json'],
    ],
    {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: url, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Stopped before its namespace's keys are deleted (cleanUp runs last-in, first-out).
  cleanUp(t, async () => {
    child.kill('SIGINT');
    await Promise.race([exited, sleep(FLEET_DEADLINE_MS)]);
    child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const scrape = async () => {
    const metrics = /fleet: metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(stderr)?.[1];
    if (metrics === undefined) return new Map<string, number>();
    return samples(await (await fetch(metrics)).text());
  };
  const workers = Array.from({ length: WORKERS }, (_, i) => i + 1);
  const metric = (scraped: Map<string, number>, worker: number, name: string, labels = '') =>
    scraped.get(`fleet_circuit_${name}{circuit="mock-server",worker="${worker}"${labels}}`) ?? 0;
  await waitUntil(
    'every worker calls through a closed circuit',
    async () => {
      const scraped = await scrape();
      return workers.every(
        (w) =>
          metric(scraped, w, 'state', ',state="closed"') === 1 &&
          metric(scraped, w, 'calls_total', ',outcome="success"') > 0,
      );
    },
    FLEET_DEADLINE_MS * 4, // the parent and three workers start under tsx
  );

  const isolated = await runScript(
    'packages/shared-circuit/src/cli.ts',
    ['isolate', 'mock-server', '--namespace', namespace],
    {
      env: { REDIS_URL: url },
    },
  );
  assert.equal(isolated.code, 0, isolated.stderr);
  const before = await scrape();
  await waitUntil('every worker rejects its calls', async () => {
    const scraped = await scrape();
    return workers.every(
      (w) =>
        metric(scraped, w, 'state', ',state="open"') === 1 &&
        metric(scraped, w, 'rejected_total', ',level="fleet"') >
          metric(before, w, 'rejected_total', ',level="fleet"'),
    );
  });
  const settled = await scrape();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const later = await scrape();
  for (const w of workers) {
    assert.equal(
      metric(later, w, 'calls_total', ',outcome="success"'),
      metric(settled, w, 'calls_total', ',outcome="success"'),
      `worker ${w}: no call ran while isolated`,
    );
  }
});
