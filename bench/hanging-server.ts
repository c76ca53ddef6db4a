/**
 * What a breaker saves: a dependency that accepts connections and never answers, a client with a
 * request timeout, and many concurrent callers. Without a breaker every call waits out the
 * timeout; with one, the first failures open the circuit and the rest are refused at once.
 */
import { IN_PROCESS_NAMES, LIBRARIES } from '../src/libraries/registry.ts';
import { isCircuitOpenError, type Breaker, type BreakerSettings } from '../src/breakers/breaker.ts';
import { fetchGreeting, isRequestFailedError } from '../src/http/fetch-greeting.ts';
import { startMockServer } from '../src/server/mock-server.ts';
import type { Benchmark, BenchContext, BenchOutcome } from './benchmark.ts';
import { ms, whole } from './format.ts';
import { roundSpread, summarize, type Spread } from './stats.ts';
import type { Table } from './table.ts';

interface Plan {
  calls: number;
  callers: number;
  requestTimeoutMs: number;
}

const FULL: Plan = { calls: 200, callers: 20, requestTimeoutMs: 1000 };
const QUICK: Plan = { calls: 40, callers: 10, requestTimeoutMs: 100 };

/**
 * The project's standard settings (3 failures, as in the seed scenario). The reset timeout is far
 * longer than a run, so an opened circuit stays open: what is measured is "open and refusing",
 * not the trial calls that would follow later.
 */
const SETTINGS: BreakerSettings = { failures: 3, resetTimeoutMs: 600_000 };

type Outcome = 'success' | 'timeout' | 'rejected' | 'other';

interface CaseResult {
  breaker: string;
  /** Requests that reached the hanging server, from the server's own count. */
  requestsReached: number;
  outcomes: Record<Outcome, number>;
  /** Latency of each call as its caller saw it, ms. */
  latencyMs: Spread;
  wallMs: number;
}

function outcomeOf(error: unknown): Outcome {
  if (isCircuitOpenError(error)) return 'rejected';
  if (isRequestFailedError(error) && error.failure.kind === 'timeout') return 'timeout';
  return 'other';
}

/** `plan.calls` calls shared by `plan.callers` concurrent callers, each calling again as soon as its call settles. */
async function runCase(
  name: string,
  breaker: Breaker | undefined,
  plan: Plan,
): Promise<CaseResult> {
  // A fresh server per case: its count is exactly this case's requests, and no socket left
  // hanging by the previous case can be mistaken for one of them.
  const server = await startMockServer({ host: '127.0.0.1', port: 0, mode: { kind: 'hang' } });
  const request = () => fetchGreeting(server.url, { timeoutMs: plan.requestTimeoutMs });
  const call = breaker ? () => breaker.execute(request) : request;
  const latencies: number[] = [];
  const outcomes: Record<Outcome, number> = { success: 0, timeout: 0, rejected: 0, other: 0 };
  let started = 0;
  const caller = async () => {
    while (started < plan.calls) {
      started += 1;
      const begin = performance.now();
      let outcome: Outcome = 'success';
      try {
        await call();
      } catch (error) {
        outcome = outcomeOf(error);
      }
      latencies.push(performance.now() - begin);
      outcomes[outcome] += 1;
    }
  };
  const begin = performance.now();
  try {
    await Promise.all(Array.from({ length: plan.callers }, caller));
  } finally {
    await server.stop();
    await breaker?.dispose();
  }
  return {
    breaker: name,
    requestsReached: server.requests.total,
    outcomes,
    latencyMs: roundSpread(summarize(latencies)),
    wallMs: Number((performance.now() - begin).toFixed(1)),
  };
}

async function run(context: BenchContext): Promise<BenchOutcome> {
  const plan = context.quick ? QUICK : FULL;
  const cases: CaseResult[] = [await runCase('none', undefined, plan)];
  context.progress(`hanging-server: no breaker done`);
  for (const library of IN_PROCESS_NAMES) {
    cases.push(await runCase(library, LIBRARIES[library].create(SETTINGS), plan));
    context.progress(`hanging-server: ${library} done`);
  }
  const table: Table = {
    title: `Against a hanging server: ${plan.calls} calls from ${plan.callers} concurrent callers, ${plan.requestTimeoutMs} ms request timeout`,
    headers: ['breaker', 'p50', 'p99', 'wall time', 'reached server', 'timed out', 'rejected'],
    rows: cases.map((result) => [
      result.breaker,
      ms(result.latencyMs.p50),
      ms(result.latencyMs.p99),
      ms(result.wallMs),
      whole(result.requestsReached),
      whole(result.outcomes.timeout),
      whole(result.outcomes.rejected),
    ]),
    note:
      `Breakers: open after ${SETTINGS.failures} failures, reset timeout ${SETTINGS.resetTimeoutMs / 1000} s (longer than the run). ` +
      'opossum opens on a failure percentage of the calls fired over its rolling window (over 50% once 3 calls are in it, ' +
      'src/breakers/opossum.ts), not on 3 consecutive failures.',
  };
  return {
    result: {
      method: {
        ...plan,
        settings: { failures: SETTINGS.failures, resetTimeoutMs: SETTINGS.resetTimeoutMs },
        server: 'mock server in hang mode, a fresh one per case',
      },
      cases,
    },
    tables: [table],
  };
}

export const hangingServer: Benchmark = { name: 'hanging-server', run };
