import type { BreakerLibrary } from '../breakers/breaker.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import type { CallRecord, Outcome } from '../scenario/trace.ts';
import type { CircuitState } from '../breakers/breaker.ts';
import { departureReason } from './departure.ts';
import { ReferencePacing } from './reference-pacing.ts';
import { PortReservations } from './port-reservations.ts';
import { isPortInUseError } from '../server/mock-server.ts';
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
  const ports = new PortReservations(HOST);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      const speed = fixtureSpeed(job.fixture);
      const calls = await runFixture(job.fixture, job.library, speed, ports);
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

/** Tries of a run whose port another process took while its server was off. */
const PORT_TRIES = 3;

/** One library's calls through one fixture, on a port of its own. */
async function runFixture(
  fixture: ReferenceFixture,
  library: BreakerLibrary,
  speed: number,
  ports: PortReservations,
): Promise<CallRecord[]> {
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
      return trace.runs[0]?.calls ?? [];
    } catch (error) {
      if (!isPortInUseError(error) || attempt >= PORT_TRIES) throw error;
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
