import type { BreakerLibrary } from '../breakers/breaker.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import type { CallRecord, Outcome } from '../scenario/trace.ts';
import type { CircuitState } from '../breakers/breaker.ts';
import { departureReason } from '../breakers/departure.ts';
import { ReferencePacing } from './reference-pacing.ts';
import { timingStray } from './run-timing.ts';
import { PortReservations } from './port-reservations.ts';
import { fetchGreeting } from '../http/fetch-greeting.ts';
import { isPortInUseError, startMockServer } from '../server/mock-server.ts';
import { fixtureScenario, type ReferenceFixture } from './reference-fixture.ts';

/** A call's outcome and the state right after it: what conformance compares, call by call. */
export interface CallResult {
  outcome: Outcome;
  state: CircuitState;
}

/** The first call of a fixture where a library did something else than the reference. */
export interface Mismatch {
  fixture: string;
  call: number;
  expected: CallResult;
  /** Missing when the run made fewer calls than the fixture. */
  actual: CallResult | null;
}

export interface LibraryConformance {
  /** Fixtures the library matched on every call. */
  matched: number;
  mismatches: Mismatch[];
}

export interface ConformanceResult {
  fixtures: number;
  libraries: Record<string, LibraryConformance>;
}

/**
 * Scenario speed of a fixture's run. A timer fires late on a loaded machine, so a call near the
 * reset timeout's end could land on its other side: this keeps every such gap at least MARGIN_MS
 * of real time (the pacing keeps lateness from adding up, see reference-pacing.ts), and the speed
 * at most MAX_SPEED so that a request timeout stays long next to a stall.
 */
export function fixtureSpeed(fixture: ReferenceFixture): number {
  const gap = fixture.secondsFromReset;
  if (gap === null) return MAX_SPEED;
  return Math.max(1, Math.min(MAX_SPEED, (gap * 1000) / MARGIN_MS));
}

/** Real milliseconds a call or a library's timer may slip before a call could change sides. */
export const MARGIN_MS = 100;

/**
 * A run whose call landed this many real milliseconds off its place, or took this much longer than
 * in the reference, is made again (run-timing.ts): under MARGIN_MS, so no call can have changed sides
 * unnoticed, and over reference-pacing.ts's RESET_LAG_MS.
 */
export const STRAY_MS = 90;
export const MAX_SPEED = 5;

/** Runs at once: each mostly waits on its timers, so many fit on two cores. */
export const DEFAULT_PARALLEL = 24;

export interface ConformanceOptions {
  fixtures: readonly ReferenceFixture[];
  libraries: readonly BreakerLibrary[];
  /** Runs at once; each has its own mock server and one library. Default DEFAULT_PARALLEL. */
  parallel?: number;
  /** Called after each run, for a progress line. */
  onRun?: (done: number, total: number) => void;
  /** Called when a run is made again: its port was taken, or its timing strayed (why). */
  onRetry?: (fixture: string, library: string, why: string) => void;
}

/**
 * Runs every fixture through the lab's engine for every library, each library on its own run (so
 * one library's slow calls never shift another's clock), and compares each call's outcome and the
 * state after it with the reference.
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceResult> {
  const jobs = options.fixtures.flatMap((fixture) =>
    options.libraries.map((library) => ({ fixture, library })),
  );
  const firstDifference = new Map<string, Mismatch | undefined>();
  await warmUpFetch();
  const ports = new PortReservations(HOST);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      const speed = fixtureSpeed(job.fixture);
      const calls = await runFixture(job.fixture, job.library, speed, ports, (why) =>
        options.onRetry?.(job.fixture.name, job.library.name, why),
      );
      firstDifference.set(
        key(job.library.name, job.fixture.name),
        compareCalls(job.fixture, calls),
      );
      options.onRun?.((done += 1), jobs.length);
    }
  };
  const parallel = Math.max(1, Math.min(options.parallel ?? DEFAULT_PARALLEL, jobs.length));
  await Promise.all(Array.from({ length: parallel }, worker));

  const libraries: Record<string, LibraryConformance> = {};
  for (const library of options.libraries) {
    const mismatches = options.fixtures.flatMap((fixture) => {
      const mismatch = firstDifference.get(key(library.name, fixture.name));
      return mismatch ? [mismatch] : [];
    });
    libraries[library.name] = { matched: options.fixtures.length - mismatches.length, mismatches };
  }
  return { fixtures: options.fixtures.length, libraries };
}

const HOST = '127.0.0.1';

/**
 * The first `fetch` of a process loads Node's HTTP client, which on a loaded machine can take
 * longer than a fixture's request timeout at speed: done once before the timed runs start.
 */
async function warmUpFetch(): Promise<void> {
  await using server = await startMockServer({ host: HOST, port: 0 });
  await fetchGreeting(server.url, { timeoutMs: 10_000 });
}

/** Tries of a run whose port another process took, or whose timing a stalled machine broke. */
const TRIES = 3;

/**
 * One library's calls through one fixture, on a port of its own. A run whose timing strayed past
 * the margin (run-timing.ts) is run again, up to TRIES in all; the last is kept either way.
 */
async function runFixture(
  fixture: ReferenceFixture,
  library: BreakerLibrary,
  speed: number,
  ports: PortReservations,
  onRetry: ((why: string) => void) | undefined,
): Promise<CallRecord[]> {
  const marginSeconds = (STRAY_MS * speed) / 1000;
  for (let attempt = 1; ; attempt += 1) {
    const port = await ports.take();
    const pacing = new ReferencePacing(fixture, speed);
    try {
      const trace = await runScenario({
        scenario: fixtureScenario(fixture, speed),
        libraries: [library],
        host: HOST,
        port,
        onEvent: pacing.onEvent,
        sleep: pacing.sleep,
      });
      const calls = trace.runs[0]?.calls ?? [];
      const stray = timingStray(fixture, calls, marginSeconds);
      if (!stray || attempt >= TRIES) return calls;
      onRetry?.(stray);
    } catch (error) {
      if (!isPortInUseError(error) || attempt >= TRIES) throw error;
      onRetry?.(error.message);
    } finally {
      ports.release(port);
    }
  }
}

function key(library: string, fixture: string): string {
  return `${library}\u0000${fixture}`;
}

/** The first call whose outcome or state differs from the reference; undefined when all match. */
export function compareCalls(
  fixture: ReferenceFixture,
  calls: readonly CallRecord[],
): Mismatch | undefined {
  for (const expected of fixture.calls) {
    const actual = calls[expected.call - 1];
    if (!actual || actual.outcome !== expected.outcome || actual.state !== expected.state) {
      return {
        fixture: fixture.name,
        call: expected.call,
        expected: { outcome: expected.outcome, state: expected.state },
        actual: actual ? { outcome: actual.outcome, state: actual.state } : null,
      };
    }
  }
  return undefined;
}

/**
 * Why a mismatch happened, where the library's departure is known: the library's reason and, for
 * a rate-based breaker, which way its window tipped.
 */
export function mismatchReason(
  library: string,
  mismatch: Mismatch,
): { reason: string; detail?: string } | undefined {
  const reason = departureReason(library);
  if (!reason) return undefined;
  const { expected, actual } = mismatch;
  if (expected.state === 'open' && actual?.state === 'closed')
    return {
      reason,
      detail: 'calls still in its window kept the failure rate under its threshold',
    };
  if (expected.state === 'closed' && actual?.state === 'open')
    return { reason, detail: 'failures still in its window opened it early' };
  return { reason };
}
