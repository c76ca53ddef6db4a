/**
 * Propagation of the shared circuit: how long from one process opening the circuit to every other
 * process rejecting calls, over many trials (p50 / p99). The opener is this process; the others are
 * child processes (this same file, in follower mode) that each hold a SharedCircuit of the same
 * name and report the moment their in-memory state turns open.
 *
 *   npx tsx bench/fleet-propagation.ts [--quick]
 *
 * Uses REDIS_URL when set, otherwise a private redis-server. Writes bench/results/fleet-propagation.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { isCircuitOpenError } from 'shared-circuit';
import { isMain } from '../src/cli/main-guard.ts';
import type { Benchmark } from './benchmark.ts';
import { deleteNamespace } from '../test/helpers/redis-namespace.ts';
import { startRedisServer, type RedisServer } from '../test/helpers/redis-server.ts';
import { SharedCircuit } from 'shared-circuit';
import { missingRedis } from '../src/fleet-demo/redis-availability.ts';
import { redactRedisUrl as redactUrl } from 'shared-circuit';
import { probeRedis } from '../src/fleet-demo/redis-availability.ts';
import { epochNow } from '../src/fleet-demo/worker-protocol.ts';

const RESULT_FILE = fileURLToPath(new URL('./results/fleet-propagation.json', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);
const FOLLOWER_ENV = 'FLEET_PROPAGATION_FOLLOWER';
/** Short, so a trial takes little more than it; long next to a Redis round trip, so no follower's view expires mid-trial. */
const RESET_TIMEOUT_MS = 50;

export interface Percentiles {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export interface FleetPropagationResult {
  benchmark: 'fleet-propagation';
  date: string;
  node: string;
  cpuModel: string;
  cpus: number;
  loadAverage1m: number;
  redis: string;
  quick: boolean;
  /** Processes that follow the circuit besides the one opening it. */
  followers: number;
  trials: number;
  unit: 'ms';
  /**
   * From the opener's failing call settling (its failure report then goes to Redis) to the last
   * follower rejecting calls: the figure the issue asks for.
   */
  untilAllReject: Percentiles;
  /** The same, per follower: from the opening failure to that follower rejecting. */
  untilEachRejects: Percentiles;
  /** The opener's own round trip: failing call settled -> the opening script's reply applied. */
  openerRoundTrip: Percentiles;
}

interface FollowerConfig {
  redisUrl: string;
  namespace: string;
  name: string;
}

type FollowerMessage = { type: 'ready' } | { type: 'open'; at: number; rejecting: boolean };

export async function runFleetPropagation(options: {
  quick: boolean;
}): Promise<FleetPropagationResult> {
  const loadAverage1m = Number((loadavg()[0] ?? 0).toFixed(2)); // how busy the machine was at the start
  const followers = options.quick ? 3 : 4;
  const trials = options.quick ? 30 : 300;
  let privateServer: RedisServer | undefined;
  const envUrl = process.env['REDIS_URL'];
  if (envUrl === undefined || envUrl.trim() === '') privateServer = await startRedisServer();
  const redisUrl = privateServer?.url ?? (envUrl as string);
  const config: FollowerConfig = {
    redisUrl,
    namespace: `bench-propagation-${randomUUID().slice(0, 8)}`,
    name: 'propagation',
  };
  const children: ChildProcess[] = [];
  const opener = new SharedCircuit({
    ...config,
    failures: 1,
    resetTimeoutMs: RESET_TIMEOUT_MS,
  });
  try {
    if ((await opener.ready()) !== 'shared') throw new Error(`no Redis at ${redisUrl}`);
    const opens: FollowerMessage[][] = [];
    for (let i = 0; i < followers; i += 1) {
      const child = spawn(process.execPath, ['--import', 'tsx', THIS_FILE], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, [FOLLOWER_ENV]: JSON.stringify(config) },
      });
      children.push(child);
      const received: FollowerMessage[] = [];
      opens.push(received);
      child.on('message', (message: FollowerMessage) => received.push(message));
    }
    await until(() => opens.every((received) => received.some((m) => m.type === 'ready')));

    const allReject: number[] = [];
    const eachRejects: number[] = [];
    const roundTrips: number[] = [];
    let openedAt = 0;
    opener.onStateChange((state) => {
      if (state === 'open') roundTrips.push(epochNow() - openedAt);
    });
    for (let trial = 0; trial < trials; trial += 1) {
      const seen = opens.map((received) => received.length);
      await opener
        .execute(() => {
          openedAt = epochNow();
          return Promise.reject(new Error('dependency down'));
        })
        .catch(() => {});
      await until(() => opens.every((received, i) => received.length > (seen[i] ?? 0)));
      const latencies = opens.map((received) => {
        const message = received.at(-1);
        if (message?.type !== 'open' || !message.rejecting) {
          throw new Error(`a follower did not reject after the circuit opened (trial ${trial})`);
        }
        return message.at - openedAt;
      });
      eachRejects.push(...latencies);
      allReject.push(Math.max(...latencies));
      await closeAgain(opener);
    }

    const result: FleetPropagationResult = {
      benchmark: 'fleet-propagation',
      date: new Date().toISOString(),
      node: process.version,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      cpus: cpus().length,
      loadAverage1m,
      redis: await redisVersion(redisUrl),
      quick: options.quick,
      followers,
      trials,
      unit: 'ms',
      untilAllReject: percentiles(allReject),
      untilEachRejects: percentiles(eachRejects),
      openerRoundTrip: percentiles(roundTrips),
    };
    return result;
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await opener.dispose();
    // A shared REDIS_URL keeps nothing of the run; a private server takes its keys with it.
    if (privateServer === undefined) await deleteNamespace(redisUrl, config.namespace);
    await privateServer?.[Symbol.asyncDispose]();
  }
}

/** Waits out the reset timeout, then succeeds in the trial call, so the next trial starts closed. */
async function closeAgain(opener: SharedCircuit): Promise<void> {
  await sleep(RESET_TIMEOUT_MS);
  await until(async () => {
    await opener
      .execute(() => Promise.resolve())
      .catch((error: unknown) => {
        if (!isCircuitOpenError(error)) throw error;
      });
    return opener.state === 'closed';
  });
  await sleep(5); // let the followers hear of the closing before the next opening
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('fleet-propagation: timed out waiting');
    await sleep(1);
  }
}

function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: a figure that was really measured.
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  const round = (value: number) => Number(value.toFixed(2));
  return {
    n: sorted.length,
    p50: round(rank(50)),
    p99: round(rank(99)),
    mean: round(sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
    max: round(sorted.at(-1) ?? NaN),
  };
}

async function redisVersion(url: string): Promise<string> {
  const redis = new Redis(url, { maxRetriesPerRequest: 0 });
  try {
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}

/** Follower mode: one SharedCircuit that reports when its state turns open, and checks it rejects. */
async function follow(config: FollowerConfig): Promise<void> {
  process.on('disconnect', () => process.exit(0));
  const circuit = new SharedCircuit({ ...config, failures: 1, resetTimeoutMs: RESET_TIMEOUT_MS });
  circuit.onStateChange((state) => {
    if (state !== 'open') return;
    const at = epochNow();
    circuit
      .execute(() => Promise.resolve())
      .then(
        () => process.send?.({ type: 'open', at, rejecting: false } satisfies FollowerMessage),
        (error: unknown) =>
          process.send?.({
            type: 'open',
            at,
            rejecting: isCircuitOpenError(error),
          } satisfies FollowerMessage),
      );
  });
  await circuit.ready();
  process.send?.({ type: 'ready' } satisfies FollowerMessage);
  await once(process, 'disconnect');
}

/** For the runner (`npm run bench`): the same measurement, one table, the result under `--out`. */
export const fleetPropagation: Benchmark = {
  name: 'fleet-propagation',
  async unavailable() {
    const missing = missingRedis();
    if (missing !== undefined) return missing;
    const url = process.env['REDIS_URL'];
    if (url === undefined || url.trim() === '') return undefined; // a private redis-server is started
    const probe = await probeRedis(url);
    return probe.reachable
      ? undefined
      : `no Redis answers at REDIS_URL ${redactUrl(url)} (${probe.reason}); start it, or unset ` +
          'REDIS_URL and the bench starts a redis-server of its own';
  },
  async run(context) {
    context.progress(
      'fleet-propagation: one process opens a shared circuit, followers in other processes must reject',
    );
    const result = await runFleetPropagation({ quick: context.quick });
    const row = (label: string, figures: Percentiles) => [
      label,
      ms(figures.p50),
      ms(figures.p99),
      ms(figures.max),
      String(figures.n),
    ];
    return {
      result,
      tables: [
        {
          title: `Propagation of the shared circuit: ${result.followers} follower processes, ${result.trials} trials (Redis ${result.redis})`,
          headers: ['from the opening failure until', 'p50', 'p99', 'max', 'samples'],
          rows: [
            row('every follower rejects calls', result.untilAllReject),
            row('one follower rejects calls', result.untilEachRejects),
            row("the opener's own Redis round trip", result.openerRoundTrip),
          ],
          note: 'What it means: a few milliseconds after one process opens the circuit, the whole fleet rejects calls.',
        },
      ],
    };
  },
};

function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}

if (isMain(import.meta.url)) {
  const followerConfig = process.env[FOLLOWER_ENV];
  if (followerConfig !== undefined) {
    await follow(JSON.parse(followerConfig) as FollowerConfig);
  } else {
    const quick = process.argv.includes('--quick');
    const result = await runFleetPropagation({ quick });
    // A quick run's figures mean nothing: they never replace the recorded result.
    if (!quick) {
      await mkdir(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
      await writeFile(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
    }
    const { untilAllReject: all, untilEachRejects: each } = result;
    console.log(
      `fleet propagation over ${result.trials} trials, ${result.followers} follower processes` +
        `${quick ? ' (QUICK RUN)' : ''}: every follower rejecting after p50 ${all.p50} ms, ` +
        `p99 ${all.p99} ms (each follower: p50 ${each.p50} ms, p99 ${each.p99} ms); ` +
        (quick ? '' : `; wrote ${RESULT_FILE}`),
    );
  }
}
