import type { FleetRunOptions, ModeRun, WorkerRun } from './run-mode.ts';
import type { FleetMode } from './worker-protocol.ts';

export interface WorkerFigures {
  worker: number;
  /** Calls that went to the server (were not rejected by the circuit) while it was down. */
  reachedWhileDown: number;
  /** Trial calls over the whole run: calls that ran although the circuit was not closed. */
  trials: number;
  trialsWhileDown: number;
  /** From "server back" to this worker's circuit closing; null if it did not close in time. */
  recoveryMs: number | null;
}

export type ModeFigures = Omit<WorkerFigures, 'worker'> & {
  /** Redis was unreachable for some worker, which ran on its local breaker instead. */
  fellBack: boolean;
  perWorker: WorkerFigures[];
};

/** The demo's figures as `npm run fleet -- --json` prints them. */
export interface FleetReport {
  workers: number;
  failures: number;
  resetTimeoutMs: number;
  downMs: number;
  intervalMs: number;
  /**
   * The most calls each mode should send to the dead server: failures + one trial per reset
   * timeout for the shared circuit; that once per worker for local breakers.
   */
  expectedAtMost: Record<FleetMode, number>;
  modes: Partial<Record<FleetMode, ModeFigures>>;
  /** Why a mode did not run, e.g. Redis unreachable. */
  skipped?: Partial<Record<FleetMode, string>>;
}

export function fleetReport(
  options: FleetRunOptions,
  runs: ModeRun[],
  skipped: Partial<Record<FleetMode, string>> = {},
): FleetReport {
  const perCircuit = options.failures + Math.ceil(options.downMs / options.resetTimeoutMs);
  const report: FleetReport = {
    workers: options.workers,
    failures: options.failures,
    resetTimeoutMs: options.resetTimeoutMs,
    downMs: options.downMs,
    intervalMs: options.intervalMs,
    expectedAtMost: { shared: perCircuit, local: perCircuit * options.workers },
    modes: Object.fromEntries(runs.map((run) => [run.mode, modeFigures(run)])),
  };
  if (Object.keys(skipped).length > 0) report.skipped = skipped;
  return report;
}

export function modeFigures(run: ModeRun): ModeFigures {
  const perWorker = run.workers.map((worker) => workerFigures(run, worker));
  const sum = (pick: (figures: WorkerFigures) => number) =>
    perWorker.reduce((total, figures) => total + pick(figures), 0);
  const recoveries = perWorker.map((figures) => figures.recoveryMs);
  return {
    reachedWhileDown: sum((figures) => figures.reachedWhileDown),
    trials: sum((figures) => figures.trials),
    trialsWhileDown: sum((figures) => figures.trialsWhileDown),
    // "All workers closed" is the last worker's closing.
    recoveryMs: recoveries.some((ms) => ms === null)
      ? null
      : Math.max(...recoveries.map((ms) => ms ?? 0)),
    fellBack: run.workers.some((worker) => worker.fellBack),
    perWorker,
  };
}

function workerFigures(run: ModeRun, worker: WorkerRun): WorkerFigures {
  const whileDown = worker.calls.filter((call) => call.at >= run.downAt && call.at < run.upAt);
  const closed = worker.transitions.find(
    (transition) => transition.at >= run.upAt && transition.to === 'closed',
  );
  return {
    worker: worker.index,
    reachedWhileDown: whileDown.filter((call) => call.outcome !== 'rejected').length,
    trials: worker.calls.filter((call) => call.trial).length,
    trialsWhileDown: whileDown.filter((call) => call.trial).length,
    recoveryMs: closed === undefined ? null : Math.round(closed.at - run.upAt),
  };
}
