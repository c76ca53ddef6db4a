import type { FleetReport, ModeFigures } from './figures.ts';
import type { FleetMode } from './worker-protocol.ts';

/** The report as text: totals side by side, one column per mode, then the same per worker. */
export function formatFleetReport(report: FleetReport): string {
  const modes = (['shared', 'local'] as const).filter((mode) => report.modes[mode] !== undefined);
  const figures = modes.map((mode) => report.modes[mode] as ModeFigures);
  const lines = [
    `fleet: ${report.workers} workers, open after ${report.failures} failures, reset timeout ` +
      `${seconds(report.resetTimeoutMs)}, server down for ${seconds(report.downMs)}, ` +
      `a call every ${report.intervalMs} ms`,
    '',
    row('', modes),
    row(
      'calls that reached the server while down',
      figures.map((f) => String(f.reachedWhileDown)),
    ),
    row(
      `  expected at most`,
      modes.map((mode) => String(report.expectedAtMost[mode])),
    ),
    row(
      '  of which trial calls',
      figures.map((f) => String(f.trialsWhileDown)),
    ),
    row(
      'trial calls, whole run',
      figures.map((f) => String(f.trials)),
    ),
    row(
      'server back -> all workers closed',
      figures.map((f) => recovery(f.recoveryMs)),
    ),
    '',
    row('per worker: reached while down / trials / closed', modes),
  ];
  for (let i = 0; i < report.workers; i += 1) {
    lines.push(
      row(
        `  worker ${i + 1}`,
        figures.map((f) => {
          const w = f.perWorker[i];
          return w ? `${w.reachedWhileDown} / ${w.trials} / ${recovery(w.recoveryMs)}` : '-';
        }),
      ),
    );
  }
  for (const [mode, reason] of Object.entries(report.skipped ?? {})) {
    lines.push('', `${mode} mode not run: ${reason}`);
  }
  for (const [i, mode] of modes.entries()) {
    if (figures[i]?.fellBack) {
      lines.push('', `${mode} mode: some workers could not reach Redis and used local breakers`);
    }
  }
  return lines.join('\n');
}

const LABEL_WIDTH = 50;
const COLUMN_WIDTH = 20;

function row(label: string, cells: readonly (string | FleetMode)[]): string {
  return (
    label.padEnd(LABEL_WIDTH) + cells.map((cell) => cell.padStart(COLUMN_WIDTH)).join('')
  ).trimEnd();
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

function recovery(ms: number | null): string {
  return ms === null ? 'not closed' : `${(ms / 1000).toFixed(2)} s`;
}
