import type { Trace } from '../scenario/trace.ts';
import { escapeHtml } from './html-escape.ts';
import { formatSeconds } from './timeline-format.ts';

/** A small table of each library's summary, one row per library. */
export function renderSummaryTable(trace: Trace): string {
  const head = [
    'library',
    'calls',
    'succeeded',
    'failed',
    'rejected',
    'reached server',
    'trials',
    'opened',
    'seconds open',
  ];
  const rows = trace.runs.map((run) => {
    const count = (outcome: string) => run.calls.filter((c) => c.outcome === outcome).length;
    const cells = [
      run.calls.length,
      count('success'),
      count('failure'),
      run.summary.rejected,
      run.summary.reachedServer,
      run.summary.trials,
      run.summary.opened,
      formatSeconds(run.summary.secondsOpen),
    ].map((value) => `<td>${escapeHtml(String(value))}</td>`);
    const name = `<th scope="row">${escapeHtml(run.library)} <span class="version">${escapeHtml(run.version)}</span></th>`;
    return `<tr>${name}${cells.join('')}</tr>`;
  });
  return (
    `<table class="summary"><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}
