import type { CircuitState } from '../../breakers/breaker.ts';
import type { Trace } from '../../scenario/trace.ts';
import { escapeHtml } from './html-escape.ts';
import { MARK_OUTCOMES, markStyle, TRIAL_RING } from './marks.ts';
import { SERVER_KIND_MEANINGS, SERVER_SWATCHES, serverKind, STATE_COLOURS } from './palette.ts';

const STATES: readonly CircuitState[] = ['closed', 'open', 'half-open'];

/** The legend for the traces on a page: every state and call mark, the server kinds they use. */
export function renderLegend(traces: readonly Trace[]): string {
  const outcomes = new Set(
    traces.flatMap((t) => t.runs.flatMap((r) => r.calls.map((c) => c.outcome))),
  );
  const kinds = [...new Set(traces.flatMap((t) => t.server.map((s) => serverKind(s.server))))];
  const states = STATES.map((state) =>
    item(
      'state',
      `<rect x="0" y="2" width="24" height="14" fill="${STATE_COLOURS[state].tint}"/><rect x="0" y="13" width="24" height="4" fill="${STATE_COLOURS[state].solid}"/>`,
      state,
    ),
  );
  // Success, failure and rejected always: their absence is news. Others only when they occur.
  const always: readonly string[] = ['success', 'failure', 'rejected'];
  const marks = MARK_OUTCOMES.filter((o) => always.includes(o) || outcomes.has(o)).map(
    (outcome) => {
      const style = markStyle(outcome);
      return item('mark', `<g transform="translate(12 9)">${style.shape}</g>`, style.meaning);
    },
  );
  marks.push(
    item(
      'mark',
      `<g transform="translate(12 9)">${TRIAL_RING}${markStyle('failure').shape}</g>`,
      'trial call (half-open)',
    ),
    item(
      'mark',
      `<circle cx="4" cy="9" r="4" fill="#1a7f37"/><rect x="4" y="14" width="20" height="3" rx="1.5" fill="#1a7f37" opacity="0.75"/>`,
      'latency',
    ),
  );
  const servers = kinds.map((kind) => {
    return item(
      'server',
      `<rect x="0" y="2" width="24" height="14" fill="${SERVER_SWATCHES[kind].fill}"/>`,
      `${kind}: ${SERVER_KIND_MEANINGS[kind]}`,
    );
  });
  return (
    `<div class="legend">` +
    group('Server', servers) +
    group('Circuit', states) +
    group('Calls', marks) +
    `</div>`
  );
}

function group(title: string, items: readonly string[]): string {
  return `<div class="legend-group"><span class="legend-title">${escapeHtml(title)}</span><ul>${items.join('')}</ul></div>`;
}

function item(kind: string, icon: string, text: string): string {
  return `<li class="legend-${kind}"><svg width="24" height="19" viewBox="-1 -1 26 20" aria-hidden="true">${icon}</svg>${escapeHtml(text)}</li>`;
}
