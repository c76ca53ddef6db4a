import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeHalfOpen } from '../../breakers/half-open.ts';
import { formatSchedule } from '../../scenario/scenario.ts';
import type { Trace } from '../../scenario/trace.ts';
import { escapeHtml } from './html-escape.ts';
import { secondsLabel } from './format.ts';
import { renderLegend } from './legend.ts';
import { TIMELINE_CSS } from './style.ts';
import { renderSummaryTable } from './summary.ts';
import { renderTimelineSvg } from './svg.ts';

export interface TimelineOptions {
  /** The page's title and heading. Default: `Circuit breaker timeline: <libraries>`. */
  title?: string;
}

/** One trace under a heading, for a page of several traces. */
export interface TimelineSectionInput {
  heading: string;
  trace: Trace;
  /** A sentence under the heading, e.g. the question the scenario asks. Default: none. */
  note?: string;
}

/**
 * One self-contained HTML page for one trace: the server's modes over time, a lane per library
 * with its states and calls, a legend and each library's summary. Inline CSS and SVG only, so it
 * opens offline; a Content-Security-Policy forbids every fetch.
 */
export function renderTimelineHtml(trace: Trace, options: TimelineOptions = {}): string {
  const title =
    options.title ?? `Circuit breaker timeline: ${trace.runs.map((run) => run.library).join(', ')}`;
  const intro = `<p class="scenario">${describeScenario(trace)}</p>`;
  const body = `<section class="timeline">${renderTimelineSvg(trace)}\n${renderSummaryTable(trace)}</section>`;
  return htmlDocument(title, intro, [trace], body);
}

/** A `<section>` for one trace under an `<h2>` heading; put several in `renderTimelinePage`. */
export function renderTimelineSection(trace: Trace, heading: string, note?: string): string {
  return [
    `<section class="timeline"><h2>${escapeHtml(heading)}</h2>`,
    ...(note !== undefined ? [`<p class="note">${escapeHtml(note)}</p>`] : []),
    `<p class="scenario">${describeScenario(trace)}</p>`,
    renderTimelineSvg(trace),
    `${renderSummaryTable(trace)}</section>`,
  ].join('\n');
}

/** One page of several traces (e.g. every scenario of the matrix), with one shared legend. */
export function renderTimelinePage(
  sections: readonly TimelineSectionInput[],
  title: string,
): string {
  const body = sections.map((section) =>
    renderTimelineSection(section.trace, section.heading, section.note),
  );
  return htmlDocument(
    title,
    '',
    sections.map((section) => section.trace),
    body.join('\n'),
  );
}

/** Writes `renderTimelineHtml(trace, options)` to `file`, creating its folder. */
export async function writeTimelineReport(
  trace: Trace,
  file: string,
  options: TimelineOptions = {},
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderTimelineHtml(trace, options), 'utf8');
}

/** Writes `renderTimelinePage(sections, title)` to `file`, creating its folder. */
export async function writeTimelinePage(
  sections: readonly TimelineSectionInput[],
  title: string,
  file: string,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderTimelinePage(sections, title), 'utf8');
}

/** The scenario in one line: schedule, breaker settings, timing, speed. */
export function describeScenario(trace: Trace): string {
  const { scenario } = trace;
  const parts = [
    `schedule <strong>${escapeHtml(formatSchedule(scenario.schedule))}</strong>`,
    `opens after ${scenario.failures} ${scenario.failures === 1 ? 'failure' : 'failures'}`,
    `reset timeout ${secondsLabel(scenario.resetTimeout)}`,
    `${secondsLabel(scenario.delay)} between calls`,
    `request timeout ${secondsLabel(scenario.requestTimeout)}`,
  ];
  if (scenario.halfOpen) parts.push(describeHalfOpen(scenario.halfOpen));
  if (scenario.concurrency > 1) parts.push(`${scenario.concurrency} concurrent callers`);
  if (scenario.ignoreStatuses.length > 0)
    parts.push(`ignores HTTP ${escapeHtml(scenario.ignoreStatuses.join(', '))}`);
  parts.push(`run at ${scenario.speed}× speed`);
  const end = trace.interrupted
    ? `interrupted at ${secondsLabel(trace.duration)}`
    : `${secondsLabel(trace.duration)} in all`;
  parts.push(end);
  return parts.join(' · ');
}

function htmlDocument(
  title: string,
  intro: string,
  traces: readonly Trace[],
  body: string,
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${TIMELINE_CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${intro}
${renderLegend(traces)}
${body}
<footer>Times are scenario seconds (real seconds × speed). Hover a mark or span for details.</footer>
</main>
</body>
</html>
`;
}
