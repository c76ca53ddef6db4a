import type { ChaosAction } from './chaos-schedule.ts';
import type { ChaosReport } from './chaos-invariants.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mark = (holds: boolean) => (holds ? 'ok' : 'FAILED');

function describe(action: ChaosAction): string {
  switch (action.kind) {
    case 'reset-all':
      return "reset every worker's connections to Redis";
    case 'lose-key':
      return "delete the circuit's keys in Redis";
    case 'fault': {
      const fault = action.fault;
      const what =
        fault.kind === 'latency'
          ? `${fault.ms} ms latency`
          : fault.kind === 'blackhole'
            ? 'blackhole (no answers)'
            : fault.kind === 'refuse'
              ? 'cut off (connections reset)'
              : 'no fault';
      return `worker ${action.worker}: ${what} for ${seconds(action.forMs)}`;
    }
  }
}

/** The chaos run as text: the faults injected, then each invariant and whether it held. */
export function formatChaosReport(report: ChaosReport): string {
  const lines = [
    `fleet --chaos: ${report.workers} workers, one shared circuit (threshold ${report.failures}, reset timeout ${seconds(report.resetTimeoutMs)}), a call every ${report.intervalMs} ms each, ${seconds(report.durationMs)}`,
    '',
    'Faults injected between the workers and Redis:',
    ...report.faults.map(
      (fault) => `  ${seconds(fault.atMs).padStart(7)}  ${describe(fault.action)}`,
    ),
    '',
  ];
  report.outages.forEach((outage, index) => {
    const { bound } = outage;
    lines.push(
      `Outage ${index + 1} of the dependency (${seconds(outage.downMs)}):`,
      `  calls that reached it: ${outage.reached}, at most ${bound.failures} threshold + ${bound.inFlight} in flight + ${bound.fleetTrials} trials (one per reset timeout) + ${bound.cutOffTrials} local trials of cut-off workers = ${bound.total}  ${mark(outage.reachedWithinBound)}`,
      `  every worker closed ${outage.recoveryMs === null ? 'never' : seconds(outage.recoveryMs)} after its return, at most reset timeout + 1 s = ${seconds(outage.recoveryLimitMs)}  ${mark(outage.closedInTime)}`,
    );
  });
  lines.push(
    '',
    `Calls whose caller saw a Redis error: ${report.foreignErrors}  ${mark(report.foreignErrors === 0)}`,
    `Workers that ran on their local breaker: ${report.fellBack.length === 0 ? 'none' : report.fellBack.join(', ')}`,
    report.holds ? 'Every invariant held.' : 'An invariant FAILED.',
  );
  return lines.join('\n');
}
