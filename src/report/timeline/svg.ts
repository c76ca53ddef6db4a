import type { CallRecord, LibraryRun, ServerSpan, StateSpan, Trace } from '../../scenario/trace.ts';
import { escapeHtml } from './html-escape.ts';
import { formatLatency, secondsLabel, oneLine } from './format.ts';
import { markStyle, MIN_LATENCY_BAR_PX, TRIAL_RING } from './marks.ts';
import { serverSwatch, STATE_COLOURS } from './palette.ts';
import { timeScale, type TimeScale } from './scale.ts';

/** The drawing's size in viewBox units; the page scales it to its width. */
export const SVG_WIDTH = 1160;
const LABEL_WIDTH = 150;
const RIGHT = 28;
const TOP = 6;
const BAND_HEIGHT = 28;
const BAND_GAP = 14;
const LANE_GAP = 10;
const MIN_LANE_HEIGHT = 50;
/** Vertical room per concurrent caller when a call has several. */
const CALLER_ROW = 13;
const STRIP = 5;
const AXIS_HEIGHT = 44;

interface Box {
  top: number;
  height: number;
}

/** One trace as an SVG timeline: the server band, a lane per library, the axis. */
export function renderTimelineSvg(trace: Trace): string {
  const scale = timeScale(lastSecond(trace), LABEL_WIDTH, SVG_WIDTH - LABEL_WIDTH - RIGHT);
  const callers = Math.max(1, ...trace.runs.flatMap((run) => run.calls.map((c) => c.caller ?? 1)));
  const laneHeight = Math.max(MIN_LANE_HEIGHT, 30 + callers * CALLER_ROW);
  const band: Box = { top: TOP, height: BAND_HEIGHT };
  const lanes: Box[] = trace.runs.map((_, index) => ({
    top: TOP + BAND_HEIGHT + BAND_GAP + index * (laneHeight + LANE_GAP),
    height: laneHeight,
  }));
  const plotBottom = (lanes.at(-1)?.top ?? band.top) + (lanes.at(-1)?.height ?? band.height);
  const height = plotBottom + AXIS_HEIGHT;
  const label = `Timeline of ${trace.runs.map((run) => run.library).join(', ')} over ${secondsLabel(trace.duration)}`;
  return [
    `<svg class="timeline-svg" viewBox="0 0 ${SVG_WIDTH} ${height}" width="${SVG_WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(label)}">`,
    // The guides run through the gaps; each lane draws them again over its state tints.
    guides(trace.server, scale, band.top, plotBottom),
    serverBand(trace.server, scale, band),
    ...trace.runs.map((run, index) =>
      lane(run, trace.server, scale, lanes[index] ?? band, callers),
    ),
    axis(scale, plotBottom),
    '</svg>',
  ].join('\n');
}

/** The axis reaches the last thing that happened: the run's end, a phase end, or a call's end. */
function lastSecond(trace: Trace): number {
  const ends = [
    trace.duration,
    ...trace.server.map((span) => span.to),
    ...trace.runs.flatMap((run) => run.calls.map((call) => call.at + call.latency)),
  ];
  return Math.max(0, ...ends.filter(Number.isFinite));
}

function serverBand(spans: readonly ServerSpan[], scale: TimeScale, box: Box): string {
  const parts = spans.map((span) => {
    const label = span.server;
    const swatch = serverSwatch(label);
    const x = scale.x(span.from);
    const width = Math.max(1, scale.x(span.to) - x);
    const tip = `server ${label} from ${secondsLabel(span.from)} to ${secondsLabel(span.to)}`;
    const text =
      width >= label.length * 7.5 + 10
        ? `<text x="${px(x + 8)}" y="${px(box.top + box.height / 2 + 4.5)}" fill="${swatch.text}">${escapeHtml(label)}</text>`
        : '';
    return (
      `<g class="server-span" data-server="${escapeHtml(label)}"><title>${escapeHtml(tip)}</title>` +
      `<rect x="${px(x)}" y="${box.top}" width="${px(width)}" height="${box.height}" fill="${swatch.fill}"/>${text}</g>`
    );
  });
  return (
    `<g class="server-band">${rowLabel('server', 'mode', box)}` +
    `<rect x="${LABEL_WIDTH}" y="${box.top}" width="${px(scale.x(scale.end) - LABEL_WIDTH)}" height="${box.height}" fill="#f6f8fa"/>` +
    `${parts.join('')}</g>`
  );
}

/** A library's label, its states over time, and a mark per call (a row per caller). */
function lane(
  run: LibraryRun,
  server: readonly ServerSpan[],
  scale: TimeScale,
  box: Box,
  callers: number,
): string {
  const spans = run.states.map((span) => stateSpan(span, scale, box));
  const marksTop = box.top + 20;
  const rowHeight = callers > 1 ? CALLER_ROW : box.height - 20 - STRIP - 8;
  const marks = run.calls.map((call) => {
    const row = (call.caller ?? 1) - 1;
    const y = callers > 1 ? marksTop + 5 + row * rowHeight : marksTop + rowHeight / 2;
    return callMark(call, scale, y, callers === 1);
  });
  return (
    `<g class="lane" data-library="${escapeHtml(run.library)}">` +
    rowLabel(run.library, run.version, box) +
    `<g class="states">${spans.join('')}</g>` +
    guides(server, scale, box.top, box.top + box.height - STRIP) +
    `<g class="calls">${marks.join('')}</g></g>`
  );
}

function rowLabel(name: string, detail: string, box: Box): string {
  const middle = box.top + box.height / 2;
  return (
    `<text class="row-name" x="${LABEL_WIDTH - 14}" y="${px(middle - 1)}" text-anchor="end">${escapeHtml(name)}</text>` +
    `<text class="row-detail" x="${LABEL_WIDTH - 14}" y="${px(middle + 14)}" text-anchor="end">${escapeHtml(detail)}</text>`
  );
}

function stateSpan(span: StateSpan, scale: TimeScale, box: Box): string {
  const colours = STATE_COLOURS[span.state];
  const x = scale.x(span.from);
  // A half-open moment can be a few milliseconds long: keep it visible.
  const width = Math.max(2, scale.x(span.to) - x);
  const tip = `${span.state} from ${secondsLabel(span.from)} to ${secondsLabel(span.to)}`;
  const text =
    width >= span.state.length * 6.5 + 10
      ? `<text x="${px(x + 6)}" y="${px(box.top + 13)}" fill="${colours.text}">${escapeHtml(span.state)}</text>`
      : '';
  return (
    `<g class="state ${escapeHtml(span.state)}"><title>${escapeHtml(tip)}</title>` +
    `<rect x="${px(x)}" y="${box.top}" width="${px(width)}" height="${box.height}" fill="${colours.tint}"/>` +
    `<rect x="${px(x)}" y="${box.top + box.height - STRIP}" width="${px(width)}" height="${STRIP}" fill="${colours.solid}"/>` +
    `${text}</g>`
  );
}

function callMark(call: CallRecord, scale: TimeScale, y: number, belowMark: boolean): string {
  const style = markStyle(call.outcome);
  const x = scale.x(call.at);
  const barWidth = call.latency * scale.pixelsPerSecond;
  // One caller: the bar sits under the mark. Several: rows are tight, so it runs through the mark.
  const [barY, barHeight] = belowMark ? [9, 3] : [-1, 2];
  const bar =
    barWidth >= MIN_LATENCY_BAR_PX
      ? `<rect class="latency" x="0" y="${barY}" width="${px(Math.min(barWidth, scale.x(scale.end) - x))}" height="${barHeight}" rx="1" fill="${style.colour}" opacity="0.75"/>`
      : '';
  const classes = ['call', call.outcome, ...(call.trial ? ['trial'] : [])].join(' ');
  return (
    `<g class="${escapeHtml(classes)}" data-call="${call.call}" transform="translate(${px(x)} ${px(y)})">` +
    `<title>${escapeHtml(callTip(call))}</title>` +
    `<circle r="10" fill="transparent"/>${bar}${call.trial ? TRIAL_RING : ''}${style.shape}</g>`
  );
}

function callTip(call: CallRecord): string {
  const lines = [
    `call ${call.call}${call.caller !== undefined ? `, caller ${call.caller}` : ''}: ${call.outcome}${call.trial ? ' (trial call while half-open)' : ''}`,
    `at ${secondsLabel(call.at)}, latency ${formatLatency(call.latency)}, server ${String(call.server)}`,
    `state after: ${call.state}`,
  ];
  if (call.error !== undefined) lines.push(oneLine(call.error));
  return lines.join('\n');
}

/** Light lines at the ticks, dashed ones where the server changed mode. */
function guides(
  spans: readonly ServerSpan[],
  scale: TimeScale,
  top: number,
  bottom: number,
): string {
  const line = (seconds: number) => {
    const x = px(scale.x(seconds));
    return `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}"/>`;
  };
  return (
    `<g class="grid" stroke="#1f2328" stroke-opacity="0.1">${scale.ticks.map(line).join('')}</g>` +
    `<g class="phase-boundaries" stroke="#424a53" stroke-width="1.2" stroke-dasharray="4 3" opacity="0.75">` +
    `${spans
      .slice(1)
      .map((span) => line(span.from))
      .join('')}</g>`
  );
}

function axis(scale: TimeScale, top: number): string {
  const y = top + 6;
  const ticks = scale.ticks.map((tick) => {
    const x = px(scale.x(tick));
    return `<line x1="${x}" y1="${top}" x2="${x}" y2="${y}" stroke="#57606a"/><text x="${x}" y="${y + 13}" text-anchor="middle">${tickLabel(tick)}</text>`;
  });
  return (
    `<g class="axis">` +
    `<line stroke="#57606a" x1="${LABEL_WIDTH}" y1="${top}" x2="${px(scale.x(scale.end))}" y2="${top}"/>` +
    `${ticks.join('')}` +
    `<text class="axis-title" x="${LABEL_WIDTH - 14}" y="${y + 13}" text-anchor="end">scenario seconds</text></g>`
  );
}

function tickLabel(seconds: number): string {
  return String(Number(seconds.toFixed(3)));
}

/** Coordinates with at most two decimals keep the markup short. */
function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}
