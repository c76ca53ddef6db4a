import { departureReason } from '../conformance/departure.ts';
import { boundaryTie } from '../scenario/boundary-tie.ts';
import { consecutiveModel } from '../scenario/consecutive-model.ts';
import type { RunEvent } from '../scenario/run-scenario.ts';
import type { CallRecord, Outcome, Trace } from '../scenario/trace.ts';
import type { Paint } from './color.ts';

const LANE_WIDTH = 28;

/** The header of the live table: call, time, server, then one column per library. */
export function tableHeader(libraries: readonly string[]): string {
  const lanes = libraries.map((library) => library.padEnd(LANE_WIDTH)).join('');
  return `${'call'.padStart(4)}  ${'time'.padStart(6)}  ${'server'.padEnd(10)}  ${lanes}`.trimEnd();
}

/** One row per call: what each library did, its state and its time till retry. */
export function tableRow(
  event: Extract<RunEvent, { type: 'call' }>,
  libraries: readonly string[],
  paint: Paint,
): string {
  const lanes = libraries.map((library) => {
    return lane(
      event.records.filter((record) => record.library === library),
      paint,
    );
  });
  return `${String(event.call).padStart(4)}  ${event.at.toFixed(1).padStart(6)}  ${event.server.padEnd(10)}  ${lanes.join('')}`.trimEnd();
}

function lane(records: readonly CallRecord[], paint: Paint): string {
  // The state to show is the one after the last of the callers finished.
  const last = records.reduce<CallRecord | undefined>(
    (latest, record) =>
      !latest || record.at + record.latency >= latest.at + latest.latency ? record : latest,
    undefined,
  );
  if (!last) return ''.padEnd(LANE_WIDTH);
  const outcome = records.length === 1 ? last.outcome : countOutcomes(records);
  const state = paint(last.state, last.state.padEnd(9));
  const retry = oneDecimal(last.timeTillRetry).padStart(5);
  return `${outcome.padEnd(11)} ${state} ${retry}  `;
}

const LETTER: Record<Outcome, string> = { success: 'S', failure: 'F', rejected: 'R', ignored: 'I' };

/** `1F 9R`: with several callers, how many of each outcome. */
function countOutcomes(records: readonly CallRecord[]): string {
  const counts = new Map<Outcome, number>();
  for (const record of records) counts.set(record.outcome, (counts.get(record.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, count]) => `${count}${LETTER[outcome]}`).join(' ');
}

/** `-0.03` prints as `0.0`, not `-0.0`. */
function oneDecimal(value: number): string {
  const text = value.toFixed(1);
  return text === '-0.0' ? '0.0' : text;
}

/** The per-library summary after a run. */
export function summaryTable(trace: Trace): string {
  const head = [
    'library',
    'version',
    'reached server',
    'rejected',
    'trials',
    'opened',
    'seconds open',
  ];
  const rows = trace.runs.map((run) => [
    run.library,
    run.version,
    String(run.summary.reachedServer),
    String(run.summary.rejected),
    String(run.summary.trials),
    String(run.summary.opened),
    run.summary.secondsOpen.toFixed(1),
  ]);
  const widths = head.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/**
 * One line per library whose calls depart from the reference (the seed's circuitbreaker, which
 * the consecutive-failure model reproduces on every fixture of `npm run conformance`), with the
 * reason where it is known. Empty where the model cannot predict (concurrent callers, ignored
 * statuses, a flaky server).
 */
export function departureLines(trace: Trace): string[] {
  const lines: string[] = [];
  for (const run of trace.runs) {
    const model = consecutiveModel(trace.scenario, run.calls, boundaryTie(trace, run.calls));
    if (!model) continue;
    const first = run.calls.find((record, index) => {
      const expected = model[index];
      return !expected || expected.outcome !== record.outcome || expected.state !== record.state;
    });
    if (!first) continue;
    const expected = model[first.call - 1];
    const reason = departureReason(run.library);
    lines.push(
      `${run.library} departs from the reference from call ${first.call} (${first.outcome}, ${first.state} ` +
        `where the seed's circuitbreaker gives ${expected?.outcome ?? '-'}, ${expected?.state ?? '-'}): ` +
        (reason ? `${reason}; see docs/behaviour-matrix.md` : 'reason unknown'),
    );
  }
  return lines;
}
