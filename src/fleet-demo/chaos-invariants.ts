import type { ChaosAction } from './chaos-schedule.ts';
import type { ChaosOptions, ChaosRun } from './chaos-run.ts';

/** The most calls an outage may send to the dead dependency, and what that sum is made of. */
export interface ReachBound {
  /** The threshold: the failures that open the circuit. */
  failures: number;
  /** One call per other worker may already be on its way when the circuit opens. */
  inFlight: number;
  /** One fleet trial per reset timeout of the outage. */
  fleetTrials: number;
  /** A worker cut off from Redis runs its local breaker: its own trial per reset timeout, plus one. */
  cutOffTrials: number;
  total: number;
}

export interface OutageFigures {
  downMs: number;
  /** Calls that reached the dead dependency (ran and failed while it was down). */
  reached: number;
  bound: ReachBound;
  reachedWithinBound: boolean;
  /** From the dependency's return to the last worker's circuit closing; null if one never closed. */
  recoveryMs: number | null;
  /** Reset timeout + 1 s. */
  recoveryLimitMs: number;
  closedInTime: boolean;
}

/** `npm run fleet -- --chaos --json`. */
export interface ChaosReport {
  workers: number;
  failures: number;
  resetTimeoutMs: number;
  intervalMs: number;
  durationMs: number;
  faults: { atMs: number; action: ChaosAction }[];
  outages: OutageFigures[];
  /** Workers that ran on their local breaker at some point (Redis unreachable to them). */
  fellBack: number[];
  /** Calls whose caller got an error its action did not throw (a Redis error): must be 0. */
  foreignErrors: number;
  holds: boolean;
}

export function chaosReport(options: ChaosOptions, run: ChaosRun, endAt: number): ChaosReport {
  const { failures, resetTimeoutMs, workers } = options;
  const calls = run.workers.flatMap((worker) => worker.calls);
  const outages = run.outages.map((outage): OutageFigures => {
    const downMs = outage.upAt - outage.downAt;
    const reached = calls.filter(
      (call) =>
        call.at >= outage.downAt &&
        call.at < outage.upAt &&
        call.outcome === 'failure' &&
        !call.foreign,
    ).length;
    const fleetTrials = Math.ceil(downMs / resetTimeoutMs);
    const cutOffTrials = outage.cutOffs
      .filter((ms) => ms > 0)
      .reduce((sum, ms) => sum + Math.ceil(ms / resetTimeoutMs) + 1, 0);
    const inFlight = workers - 1;
    const total = failures + inFlight + fleetTrials + cutOffTrials;
    const closings = run.workers.map((worker) => {
      const closed = worker.transitions.find((t) => t.at >= outage.upAt && t.to === 'closed');
      return closed === undefined ? null : closed.at - outage.upAt;
    });
    const recoveryMs = closings.includes(null)
      ? null
      : Math.round(Math.max(...closings.map((ms) => ms ?? 0)));
    const recoveryLimitMs = resetTimeoutMs + 1000;
    return {
      downMs: Math.round(downMs),
      reached,
      bound: { failures, inFlight, fleetTrials, cutOffTrials, total },
      reachedWithinBound: reached <= total,
      recoveryMs,
      recoveryLimitMs,
      closedInTime: recoveryMs !== null && recoveryMs <= recoveryLimitMs,
    };
  });
  const foreignErrors = calls.filter((call) => call.foreign).length;
  return {
    workers,
    failures,
    resetTimeoutMs,
    intervalMs: options.intervalMs,
    durationMs: Math.round(endAt - run.startAt),
    faults: run.faults.map((fault) => ({
      atMs: Math.round(fault.at - run.startAt),
      action: fault.action,
    })),
    outages,
    fellBack: run.workers.filter((worker) => worker.fellBack).map((worker) => worker.index),
    foreignErrors,
    holds:
      foreignErrors === 0 &&
      outages.every((outage) => outage.reachedWithinBound && outage.closedInTime),
  };
}
