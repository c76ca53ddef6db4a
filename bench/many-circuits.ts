/**
 * Many circuits: one breaker per endpoint is common, so what do 10,000 of them hold? Heap per
 * breaker, timers (ref'd ones keep the process alive), heap still held once every reference is
 * dropped, and whether the process then exits by itself. Each case runs in a child process
 * (`bench/many-circuits-child.ts`): exiting is the thing measured.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { IN_PROCESS_NAMES } from '../src/libraries/registry.ts';
import type { Benchmark, BenchContext, BenchOutcome } from './benchmark.ts';
import { bytes, ms, whole } from './format.ts';
import type { Table } from './table.ts';

const CHILD = fileURLToPath(new URL('./many-circuits-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Plan {
  count: number;
  /** How long to wait for a child to exit after its report before killing it. */
  exitWaitMs: number;
  /** Children at a time: 1 for a full run (they would disturb each other's timings). */
  parallel: number;
  /** The quick run only needs every code path once: open covers closed's. */
  positions: readonly Position[];
  /** How long each abandon child sits idle while its CPU use is measured, ms. */
  idleMs: number;
}

type Position = 'closed' | 'open';

const FULL: Plan = {
  count: 10_000,
  exitWaitMs: 3000,
  parallel: 1,
  positions: ['closed', 'open'],
  idleMs: 1000,
};
const QUICK: Plan = { count: 200, exitWaitMs: 500, parallel: 3, positions: ['open'], idleMs: 50 };

type Cleanup = 'abandon' | 'dispose';

/** What the child reports (see many-circuits-child.ts). */
interface ChildReport {
  library: string;
  position: Position;
  cleanup: Cleanup;
  count: number;
  setupMs: number;
  heapBytesPerBreaker: number;
  timers: { live: number; refd: number };
  activeResources: Record<string, number>;
  /** null in the dispose runs, which skip the idle wait. */
  idleCpuPercent: number | null;
  timersAfterCleanup: { live: number; refd: number };
  retainedBytesPerBreaker: number;
}

interface CaseResult extends ChildReport {
  /** The process ended within `exitWaitMs` of its report without being told to. */
  exitsBySelf: boolean;
  /** From the report to the exit; null when it had to be killed. */
  exitMs: number | null;
}

function runChild(
  library: string,
  position: Position,
  cleanup: Cleanup,
  plan: Plan,
): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        CHILD,
        library,
        position,
        cleanup,
        String(plan.count),
        String(cleanup === 'abandon' ? plan.idleMs : 0),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let reportedAt: number | undefined;
    let killed = false;
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (reportedAt === undefined && stdout.includes('\n')) {
        reportedAt = performance.now();
        killTimer = setTimeout(() => {
          killed = true;
          child.kill('SIGKILL');
        }, plan.exitWaitMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      const exitedAt = performance.now();
      clearTimeout(killTimer);
      if (reportedAt === undefined || (!killed && code !== 0)) {
        reject(new Error(`many-circuits child ${library} ${position} ${cleanup}: ${stderr}`));
        return;
      }
      const report = JSON.parse(stdout.split('\n')[0] ?? '') as ChildReport;
      resolve({
        ...report,
        exitsBySelf: !killed,
        exitMs: killed ? null : Number((exitedAt - reportedAt).toFixed(1)),
      });
    });
  });
}

/** Runs `tasks` with at most `parallel` in flight, results in the order given. */
async function inBatches<T>(tasks: (() => Promise<T>)[], parallel: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += parallel) {
    results.push(...(await Promise.all(tasks.slice(i, i + parallel).map((task) => task()))));
  }
  return results;
}

function exitCell(result: CaseResult | undefined, plan: Plan): string {
  if (!result) return '?';
  return result.exitsBySelf
    ? `yes (${ms(result.exitMs ?? 0)})`
    : `no (killed after ${plan.exitWaitMs / 1000} s)`;
}

async function run(context: BenchContext): Promise<BenchOutcome> {
  const plan = context.quick ? QUICK : FULL;
  const tasks: (() => Promise<CaseResult>)[] = [];
  for (const library of IN_PROCESS_NAMES) {
    for (const position of plan.positions) {
      for (const cleanup of ['abandon', 'dispose'] as const) {
        tasks.push(async () => {
          const result = await runChild(library, position, cleanup, plan);
          context.progress(`many-circuits: ${library} ${position} ${cleanup} done`);
          return result;
        });
      }
    }
  }
  const cases = await inBatches(tasks, plan.parallel);
  const find = (library: string, position: Position, cleanup: Cleanup) =>
    cases.find(
      (result) =>
        result.library === library && result.position === position && result.cleanup === cleanup,
    );
  const rows = IN_PROCESS_NAMES.flatMap((library) =>
    plan.positions.map((position) => {
      const abandoned = find(library, position, 'abandon');
      const disposed = find(library, position, 'dispose');
      return [
        library,
        position,
        bytes(abandoned?.heapBytesPerBreaker ?? Number.NaN),
        `${whole(abandoned?.timers.live ?? Number.NaN)} (${whole(abandoned?.timers.refd ?? Number.NaN)} ref'd)`,
        `${(abandoned?.idleCpuPercent ?? Number.NaN).toFixed(1)}%`,
        bytes(abandoned?.retainedBytesPerBreaker ?? Number.NaN),
        exitCell(abandoned, plan),
        `${whole(disposed?.timersAfterCleanup.live ?? Number.NaN)}`,
        bytes(disposed?.retainedBytesPerBreaker ?? Number.NaN),
        exitCell(disposed, plan),
      ];
    }),
  );
  const table: Table = {
    title: `${whole(plan.count)} breakers per library, each in its own process (open: 3 failures each, reset timeout 60 s)`,
    headers: [
      'library',
      'circuit',
      'heap/breaker',
      'timers',
      'idle CPU',
      'kept after refs dropped',
      'exits by itself',
      'timers after dispose()',
      'kept after dispose()',
      'exits after dispose()',
    ],
    rows,
    note: "Heap after GC. 'kept': heap per breaker still used once the program holds no reference (held by timers or a library's global registry). Ref'd timers keep a process alive. Idle CPU: one core, while the program does nothing.",
  };
  return {
    result: {
      method: {
        ...plan,
        settings: { failures: 3, resetTimeoutMs: 60_000 },
        through: "the project's adapters (src/breakers/<library>.ts)",
      },
      cases,
    },
    tables: [table],
  };
}

export const manyCircuits: Benchmark = { name: 'many-circuits', run };
