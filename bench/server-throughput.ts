/**
 * The mock server under load: requests per second with autocannon (as a library, 10 connections)
 * against the mock in `up` mode and against a bare `node:http` hello-world, both served by one
 * child process (`bench/throughput-targets.ts`). The two alternate in 1 s segments, ABBA order
 * (mock, bare, bare, mock, mock, bare...), so a change in the machine's load falls on both alike;
 * each adjacent pair gives a ratio, and the median pair ratio is the figure that resists drift.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Benchmark, BenchContext, BenchOutcome } from './benchmark.ts';
import { ratio, whole } from './format.ts';
import { median } from './stats.ts';
import type { Table } from './table.ts';

const TARGETS = fileURLToPath(new URL('./throughput-targets.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Plan {
  connections: number;
  /** Segments per server; the seconds of load per server are `segments * segmentSeconds`. */
  segments: number;
  /** autocannon counts whole seconds: 1 is its shortest useful duration. */
  segmentSeconds: number;
  /** Seconds of unrecorded load per server first (JIT, connection setup). */
  warmupSeconds: number;
}

const FULL: Plan = { connections: 10, segments: 5, segmentSeconds: 1, warmupSeconds: 1 };
const QUICK: Plan = { connections: 10, segments: 1, segmentSeconds: 1, warmupSeconds: 0 };

/** The mock must serve at least this share of the bare server's rate (issue 5). */
export const MOCK_TO_BARE_BAR = 0.8;

type Target = 'mock' | 'bare';

interface Segment {
  target: Target;
  requests: number;
  seconds: number;
  rps: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

type Targets = ChildProcessByStdio<Writable, Readable, Readable>;

async function startTargets(): Promise<{ child: Targets; urls: Record<Target, string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', TARGETS], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8');
  let stdout = '';
  while (!stdout.includes('\n')) {
    const [chunk] = (await Promise.race([
      once(child.stdout, 'data'),
      once(child, 'exit').then(() => {
        throw new Error(`throughput targets exited: ${stderr}`);
      }),
    ])) as [string];
    stdout += chunk;
  }
  return { child, urls: JSON.parse(stdout.split('\n')[0] ?? '') as Record<Target, string> };
}

async function stopTargets(child: Targets): Promise<number | undefined> {
  let stdout = '';
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  const exited = once(child, 'exit');
  child.stdin.end();
  await exited;
  const line = stdout.split('\n').find((text) => text.includes('mockRequests'));
  return line ? (JSON.parse(line) as { mockRequests: number }).mockRequests : undefined;
}

async function load(url: string, seconds: number, connections: number) {
  const result = await autocannon({ url, connections, duration: seconds });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx answers under load`);
  }
  return result;
}

async function measure(target: Target, url: string, plan: Plan): Promise<Segment> {
  const result = await load(url, plan.segmentSeconds, plan.connections);
  return {
    target,
    requests: result.requests.total,
    seconds: result.duration,
    rps: Math.round(result.requests.total / result.duration),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}

function combine(segments: readonly Segment[], target: Target) {
  const mine = segments.filter((segment) => segment.target === target);
  const requests = mine.reduce((sum, segment) => sum + segment.requests, 0);
  const seconds = mine.reduce((sum, segment) => sum + segment.seconds, 0);
  return {
    rps: Math.round(requests / seconds),
    requests,
    seconds: Number(seconds.toFixed(2)),
    segmentRps: mine.map((segment) => segment.rps),
    latencyP50Ms: mine.map((segment) => segment.latencyP50Ms),
    latencyP99Ms: mine.map((segment) => segment.latencyP99Ms),
  };
}

/** mock, bare, bare, mock, mock, bare, ...: `perTarget` segments of each. */
function abbaOrder(perTarget: number): Target[] {
  return Array.from({ length: perTarget * 2 }, (_, i): Target =>
    Math.floor((i + 1) / 2) % 2 === 0 ? 'mock' : 'bare',
  );
}

async function run(context: BenchContext): Promise<BenchOutcome> {
  const plan = context.quick ? QUICK : FULL;
  const { child, urls } = await startTargets();
  const segments: Segment[] = [];
  let mockRequests: number | undefined;
  try {
    if (plan.warmupSeconds > 0) {
      await load(urls.mock, plan.warmupSeconds, plan.connections);
      await load(urls.bare, plan.warmupSeconds, plan.connections);
    }
    const order = abbaOrder(plan.segments);
    for (const target of order) {
      segments.push(await measure(target, urls[target], plan));
      context.progress(`server-throughput: ${target} ${segments.length}/${order.length} done`);
    }
  } finally {
    mockRequests = await stopTargets(child);
  }
  const mock = combine(segments, 'mock');
  const bare = combine(segments, 'bare');
  const mockToBare = Number((mock.rps / bare.rps).toFixed(3));
  // Each adjacent pair ran back to back: the spread of their ratios shows how much is drift.
  const pairRatios: number[] = [];
  for (let start = 0; start + 1 < segments.length; start += 2) {
    const pair = [segments[start], segments[start + 1]];
    const mockSegment = pair.find((segment) => segment?.target === 'mock');
    const bareSegment = pair.find((segment) => segment?.target === 'bare');
    if (mockSegment && bareSegment) {
      pairRatios.push(Number((mockSegment.rps / bareSegment.rps).toFixed(3)));
    }
  }
  const medianPairRatio = Number(median(pairRatios).toFixed(3));
  const table: Table = {
    title: `Mock server throughput: autocannon, ${plan.connections} connections, ${plan.segments * plan.segmentSeconds} s per server in ${plan.segmentSeconds} s segments (ABBA order)`,
    headers: ['server', 'requests/s', 'slowest segment', 'fastest segment', 'latency p99'],
    rows: (
      [
        ['mock (up)', mock],
        ['bare node:http', bare],
      ] as const
    ).map(([name, figures]) => [
      name,
      whole(figures.rps),
      whole(Math.min(...figures.segmentRps)),
      whole(Math.max(...figures.segmentRps)),
      `${Math.max(...figures.latencyP99Ms)} ms`,
    ]),
    note: `Mock / bare: ${ratio(mockToBare)} over all segments, ${ratio(medianPairRatio)} median of back-to-back pairs (${pairRatios.map(ratio).join(', ')}); bar: >= ${ratio(MOCK_TO_BARE_BAR)}. Both servers in one child process, load generator in this one.`,
  };
  return {
    result: {
      mockRps: mock.rps,
      bareRps: bare.rps,
      mockToBare,
      pairRatios,
      medianPairRatio,
      bar: MOCK_TO_BARE_BAR,
      mock,
      bare,
      mockRequestsCounted: mockRequests ?? null,
      method: {
        ...plan,
        order: 'warm-up each, then mock, bare, bare, mock, mock, bare...',
        segments,
      },
    },
    tables: [table],
  };
}

export const serverThroughput: Benchmark = { name: 'server', run };
