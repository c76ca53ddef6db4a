/**
 * Keyed circuits (`SharedCircuits`, one shared circuit per host): 10,000 keys in one process. What
 * each keyed circuit holds on the heap, how many Redis connections they open (the bar: 2, the
 * process's one pair), and what a call through a closed keyed circuit costs next to cockatiel used
 * directly in the same run (the bar: at most 1.1x). Runs in a child process
 * (`bench/keyed-circuits-child.ts`); uses REDIS_URL when set, otherwise a private redis-server.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startRedisServer, type RedisServer } from '../test/helpers/redis-server.ts';
import type { Benchmark, BenchContext, BenchOutcome } from './benchmark.ts';
import { bytes, ms, ratio, whole } from './format.ts';
import type { Table } from './table.ts';
import { fleetPropagation } from './fleet-propagation.ts';

const CHILD = fileURLToPath(new URL('./keyed-circuits-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Keyed closed path at most this many times cockatiel's call (issue 12). */
export const KEYED_COST_BAR = 1.1;
/** The process's one connection pair, whatever the number of keys. */
export const KEYED_CONNECTIONS_BAR = 2;

interface ChildReport {
  keys: number;
  setupMs: number;
  heapBytesPerCircuit: number;
  connections: number;
  connectionNames: string[];
  callsPerSample: number;
  rounds: number;
  samplesPerRound: number;
  costs: {
    subject: string;
    nsPerCall: number;
    roundMedians: number[];
    comparedWith?: string;
    ratio?: { median: number; p25: number; p75: number };
  }[];
}

function runChild(redisUrl: string, args: readonly number[]): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', CHILD, ...args.map(String)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, REDIS_URL: redisUrl },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`keyed-circuits child exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ChildReport);
    });
  });
}

async function run(context: BenchContext): Promise<BenchOutcome> {
  const [keys, rounds, samples] = context.quick ? [200, 2, 3] : [10_000, 40, 9];
  const loadAverage1m = Number((loadavg()[0] ?? 0).toFixed(2));
  let server: RedisServer | undefined;
  const envUrl = process.env['REDIS_URL'];
  if (envUrl === undefined || envUrl.trim() === '') server = await startRedisServer();
  let report: ChildReport;
  try {
    context.progress(`keyed-circuits: ${whole(keys)} keys, ${rounds} rounds`);
    report = await runChild(server?.url ?? (envUrl as string), [keys, rounds, samples]);
  } finally {
    await server?.[Symbol.asyncDispose]();
  }
  const table: Table = {
    title: `${whole(report.keys)} keyed circuits (SharedCircuits) in one process`,
    headers: ['figure', 'value', 'bar'],
    rows: [
      ['heap per keyed circuit', bytes(report.heapBytesPerCircuit), ''],
      [
        'Redis connections (CLIENT LIST)',
        `${report.connections} (${report.connectionNames.join(', ')})`,
        `${KEYED_CONNECTIONS_BAR}`,
      ],
      ['first get() of every key until all read their state', ms(report.setupMs), ''],
      ...report.costs.map((cost) => [
        `closed call, ${cost.subject}`,
        `${whole(cost.nsPerCall)} ns${cost.ratio ? ` = ${ratio(cost.ratio.median)} ${cost.comparedWith} (IQR ${ratio(cost.ratio.p25)} to ${ratio(cost.ratio.p75)})` : ''}`,
        cost.ratio ? `<= ${KEYED_COST_BAR}x` : '',
      ]),
    ],
    note: `A call is \`circuits.get(key).execute(action)\` of an async function that resolves at once; cockatiel is its circuitBreaker policy's execute, one policy or one per key from a Map. Medians of ${report.rounds} interleaved rounds of ${report.samplesPerRound} samples of ${whole(report.callsPerSample)} calls; the ratio is per round. Load average at the start: ${loadAverage1m} on a shared machine.`,
  };
  return {
    result: {
      method: {
        settings: { failures: 3, resetTimeoutMs: 60_000 },
        bars: { connections: KEYED_CONNECTIONS_BAR, costRatioToCockatiel: KEYED_COST_BAR },
        loadAverage1m,
      },
      ...report,
    },
    tables: [table],
  };
}

/** Needs a Redis as the propagation benchmark does: the same check, the same one line when missing. */
export const keyedCircuits: Benchmark = {
  name: 'keyed-circuits',
  unavailable: () => fleetPropagation.unavailable?.() ?? Promise.resolve(undefined),
  run,
};
