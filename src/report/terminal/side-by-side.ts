import { departureReason } from '../../breakers/departure.ts';
import { describeHalfOpen, halfOpenOf } from '../../breakers/half-open.ts';
import { boundaryTie } from '../../scenario/boundary-tie.ts';
import { consecutiveModel } from '../../scenario/consecutive-model.ts';
import type { LaneAfter, RunEvent } from '../../scenario/run-scenario.ts';
import type { Phase } from '../../scenario/scenario.ts';
import type { CallRecord, Outcome, Trace } from '../../scenario/trace.ts';
import type { Paint } from './color.ts';

/** With more callers than this, a lane counts outcomes (`3F 97R`) instead of a letter per caller. */
const MAX_LETTERS = 20;

/** The lane of one library: what the call(s) came to, the state after, seconds till the next trial. */
interface LaneLayout {
  outcome: number;
  width: number;
}

function laneLayout(concurrency: number): LaneLayout {
  // A word (`interrupted` is the longest), a letter per caller, or room for counts like `480F 500R 20S`.
  const outcome = Math.max(11, concurrency <= MAX_LETTERS ? concurrency : 17);
  // outcome, space, state (9), space, next trial (10), two spaces
  return { outcome, width: outcome + 1 + 9 + 1 + 10 + 2 };
}

/** The server column: 10 characters, or the longest setting of the schedule (`fail-every=2`). */
export function serverColumnWidth(schedule: readonly Phase[]): number {
  return Math.max(10, ...schedule.map((phase) => phase.server.length));
}

const prefix = (serverWidth: number) =>
  `${'call'.padStart(4)}  ${'time'.padStart(6)}  ${'server'.padEnd(serverWidth)}  `;

/**
 * The header of the live table: call, time, server, then one column per library with its
 * sub-columns named, and a legend line saying what the letters and columns mean.
 */
export function tableHeader(
  libraries: readonly string[],
  concurrency = 1,
  serverWidth = 10,
): string {
  const layout = laneLayout(concurrency);
  const head = prefix(serverWidth);
  const names = libraries.map((library) => library.padEnd(layout.width)).join('');
  const sub = libraries
    .map(
      () =>
        `${(concurrency > 1 ? 'callers' : 'outcome').padEnd(layout.outcome)} ${'state'.padEnd(9)} ${'next trial'.padStart(10)}  `,
    )
    .join('');
  return [
    `${head}${names}`.trimEnd(),
    `${' '.repeat(head.length)}${sub}`.trimEnd(),
    tableLegend(concurrency),
  ].join('\n');
}

/** The line under the header that explains the letters and the columns. */
export function tableLegend(concurrency: number): string {
  const letters = Object.entries(LETTER)
    .map(([name, letter]) => `${letter} ${name}`)
    .join(', ');
  const outcome =
    concurrency <= 1
      ? 'outcome: of the call; state: right after it'
      : concurrency <= MAX_LETTERS
        ? `callers: one letter per caller, in caller order: ${letters}; state: after the last caller`
        : `callers: how many got each outcome: ${letters}; state: after the last caller`;
  return `${outcome}; next trial: seconds till the circuit lets a trial call through, blank while closed`;
}

/** One row per call: what each library did, its state after and the time till its next trial. */
export function tableRow(
  event: Extract<RunEvent, { type: 'call' }>,
  libraries: readonly string[],
  paint: Paint,
  concurrency = 1,
  serverWidth = 10,
): string {
  const layout = laneLayout(concurrency);
  const lanes = libraries.map((library) =>
    lane(
      event.records.filter((record) => record.library === library),
      event.after[library],
      layout,
      paint,
    ),
  );
  return `${String(event.call).padStart(4)}  ${event.at.toFixed(1).padStart(6)}  ${event.server.padEnd(serverWidth)}  ${lanes.join('')}`.trimEnd();
}

function lane(
  records: readonly CallRecord[],
  after: LaneAfter | undefined,
  layout: LaneLayout,
  paint: Paint,
): string {
  const first = records[0];
  if (!first) return ''.padEnd(layout.width);
  const { state, timeTillRetry } = after ?? first;
  const outcome = records.length === 1 ? first.outcome : callerOutcomes(records);
  const shown = paint(state, state.padEnd(9));
  const trial = state === 'closed' ? '' : oneDecimal(Math.max(0, timeTillRetry));
  return `${outcome.padEnd(layout.outcome)} ${shown} ${trial.padStart(10)}  `;
}

const LETTER: Record<Outcome, string> = {
  success: 'S',
  failure: 'F',
  rejected: 'R',
  ignored: 'I',
  interrupted: 'X',
};

/** `FFFRRRRRRR`: each caller's outcome in caller order; `3F 97R` past MAX_LETTERS callers. */
function callerOutcomes(records: readonly CallRecord[]): string {
  const ordered = [...records].sort((a, b) => (a.caller ?? 0) - (b.caller ?? 0));
  if (ordered.length <= MAX_LETTERS)
    return ordered.map((record) => LETTER[record.outcome]).join('');
  const counts = new Map<Outcome, number>();
  for (const record of ordered) counts.set(record.outcome, (counts.get(record.outcome) ?? 0) + 1);
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
    const reason = departureReason(run.library, trace.scenario);
    // With several half-open trials the seed's circuitbreaker is no reference: the model is.
    const sampling = halfOpenOf(trace.scenario);
    const [reference, gives] =
      sampling.calls > 1
        ? ['the asked behaviour', `the model (${describeHalfOpen(sampling)}) gives`]
        : ['the reference', "the seed's circuitbreaker gives"];
    lines.push(
      `${run.library} departs from ${reference} from call ${first.call} (${first.outcome}, ${first.state} ` +
        `where ${gives} ${expected?.outcome ?? '-'}, ${expected?.state ?? '-'}): ` +
        (reason ? `${reason}; see docs/behaviour-matrix.md` : 'reason unknown'),
    );
  }
  return lines;
}
