import { ScenarioTime } from '../scenario/scenario-time.ts';
import type { CallRecord, LibraryRun, Trace } from '../scenario/trace.ts';

/** Measured facts about one library's run, the raw material of a matrix cell. */
export interface RunFacts {
  library: string;
  calls: readonly CallRecord[];
  /** Call number after which the circuit was first open; undefined if it never opened. */
  firstOpenCall: number | undefined;
  /** Failures (not rejections) before the circuit first opened. */
  failuresBeforeOpen: number;
  opened: number;
  trials: number;
  rejected: number;
  reachedServer: number;
  /** Calls let through while the server was not `on` (off or misbehaving). */
  sentWhileUnhealthy: number;
  /** Longest time a rejected call took, in real milliseconds. */
  slowestRejectionMs: number | undefined;
  /** Scenario seconds spent half-open. */
  secondsHalfOpen: number;
  /** When the circuit first opened, in scenario seconds from the start; undefined if never. */
  openedAt: number | undefined;
}

export function runFacts(trace: Trace, run: LibraryRun): RunFacts {
  const { calls } = run;
  const time = new ScenarioTime(trace.scenario.speed);
  const firstOpen = calls.find((record) => record.state === 'open');
  const firstOpenCall = firstOpen?.call;
  const rejections = calls.filter((record) => record.outcome === 'rejected');
  return {
    library: run.library,
    calls,
    firstOpenCall,
    failuresBeforeOpen: calls.filter(
      (record) =>
        record.outcome === 'failure' &&
        (firstOpenCall === undefined || record.call <= firstOpenCall),
    ).length,
    opened: run.summary.opened,
    trials: run.summary.trials,
    rejected: run.summary.rejected,
    reachedServer: run.summary.reachedServer,
    sentWhileUnhealthy: calls.filter(
      (record) => record.server !== 'on' && record.outcome !== 'rejected',
    ).length,
    slowestRejectionMs:
      rejections.length === 0
        ? undefined
        : Math.max(...rejections.map((record) => time.realMs(record.latency))),
    openedAt: run.states.find((span) => span.state === 'open')?.from,
    secondsHalfOpen: run.states
      .filter((span) => span.state === 'half-open')
      .reduce((sum, span) => sum + span.to - span.from, 0),
  };
}

/** `1.0 s` / `0.25 s`: scenario seconds for a cell. */
export function cellSeconds(value: number): string {
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(value < 1 ? 2 : 1)} s`;
}
