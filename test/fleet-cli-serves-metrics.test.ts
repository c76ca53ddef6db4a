import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from './helpers/redis-test.ts';
import type { FleetReport } from '../src/fleet-demo/figures.ts';
import { samples } from './helpers/prometheus-text.ts';
import { redisUrl } from './helpers/redis.ts';
import { ROOT } from './helpers/run-command.ts';

const WORKERS = 2;

test("npm run fleet --metrics-port serves the workers' shared-circuit metrics while it runs, and they match the report", async (t) => {
  const child = spawn(
    process.execPath,
    [
      ...['--import', 'tsx', 'src/cli/fleet.ts', '--mode', 'shared', '--workers', String(WORKERS)],
      ...[
        '--up',
        '0.5',
        '--down',
        '1.5',
        '--reset-timeout',
        '0.5',
        '--metrics-port',
        '0',
        '--json',
      ],
    ],
    {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: await redisUrl(t), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  t.after(() => clearTimeout(killer));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      resolve(code);
    }),
  );

  // Scrape like Prometheus would, only much more often, until the run ends.
  const scrapes: Map<string, number>[] = [];
  let url: string | undefined;
  while (!exited) {
    url ??= /fleet: metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(stderr)?.[1];
    if (url !== undefined) {
      try {
        const response = await fetch(url);
        assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
        scrapes.push(samples(await response.text()));
      } catch {
        // the run just ended and the port closed
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(await exit, 0, stderr);
  assert.ok(url, `the metrics URL is printed on stderr: ${stderr}`);
  const report = JSON.parse(stdout) as FleetReport;
  const shared = report.modes.shared;
  assert.ok(shared, 'the shared mode ran');

  const metric = (scrape: Map<string, number>, worker: number, name: string, labels = '') =>
    scrape.get(`fleet_circuit_${name}{circuit="mock-server",worker="${worker}"${labels}}`) ?? 0;
  const workers = Array.from({ length: WORKERS }, (_, i) => i + 1);
  assert.ok(
    scrapes.some((scrape) =>
      workers.every((w) => metric(scrape, w, 'state', ',state="open"') === 1),
    ),
    'a scrape during the outage shows every worker open',
  );
  const last = scrapes.at(-1);
  assert.ok(last, 'at least one scrape');
  for (const worker of workers) {
    const figures = shared.perWorker[worker - 1];
    assert.ok(figures);
    assert.equal(metric(last, worker, 'mode', ',mode="shared"'), 1);
    assert.ok(metric(last, worker, 'calls_total', ',outcome="success"') > 0);
    assert.ok(metric(last, worker, 'calls_total', ',outcome="failure"') > 0);
    assert.ok(
      metric(last, worker, 'rejected_total', ',level="fleet"') > 0,
      'rejections while open',
    );
    assert.ok(metric(last, worker, 'transitions_total', ',from="closed",to="open"') >= 1);
    const trials = ['success', 'failure', 'ignored'].reduce(
      (sum, outcome) => sum + metric(last, worker, 'trial_calls_total', `,outcome="${outcome}"`),
      0,
    );
    assert.ok(
      trials <= figures.trials,
      `worker ${worker}: ${trials} trials counted, ${figures.trials} reported`,
    );
  }
  const trialsCounted = workers.reduce(
    (sum, w) => sum + metric(last, w, 'trial_calls_total', ',outcome="success"'),
    0,
  );
  assert.ok(trialsCounted >= 1, 'the trial that closed the circuit is counted');
  await assert.rejects(fetch(url), 'the metrics port closes with the run');
});
