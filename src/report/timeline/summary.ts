import type { Trace } from '../../scenario/trace.ts';
import { escapeHtml } from './html-escape.ts';
import { secondsLabel } from './format.ts';

interface Column {
  title: string;
  value: (run: Trace['runs'][number]) => string | number;
}

const count = (run: Trace['runs'][number], outcome: string) =>
  run.calls.filter((call) => call.outcome === outcome).length;

const COLUMNS: readonly Column[] = [
  { title: 'calls', value: (run) => run.calls.length },
  { title: 'succeeded', value: (run) => count(run, 'success') },
  { title: 'failed', value: (run) => count(run, 'failure') },
  { title: 'ignored', value: (run) => count(run, 'ignored') },
  { title: 'rejected', value: (run) => run.summary.rejected },
  { title: 'reached server', value: (run) => run.summary.reachedServer },
  { title: 'trials', value: (run) => run.summary.trials },
  { title: 'opened', value: (run) => run.summary.opened },
  { title: 'seconds open', value: (run) => secondsLabel(run.summary.secondsOpen) },
];

/** A small table of each library's summary, one row per library. */
export function renderSummaryTable(trace: Trace): string {
  // "ignored" only means something when the scenario has an error filter that ignored a call.
  const anyIgnored = trace.runs.some((run) => count(run, 'ignored') > 0);
  const columns = COLUMNS.filter((column) => column.title !== 'ignored' || anyIgnored);
  const head = ['library', ...columns.map((column) => column.title)];
  const rows = trace.runs.map((run) => {
    const cells = columns.map((column) => `<td>${escapeHtml(String(column.value(run)))}</td>`);
    const name = `<th scope="row">${escapeHtml(run.library)} <span class="version">${escapeHtml(run.version)}</span></th>`;
    return `<tr>${name}${cells.join('')}</tr>`;
  });
  return (
    `<table class="summary"><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}
