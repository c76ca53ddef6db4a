/** Maps scenario seconds onto x pixels, with round-numbered ticks. */
export interface TimeScale {
  /** The x position of `seconds`. */
  x(seconds: number): number;
  /** Pixels per scenario second. */
  readonly pixelsPerSecond: number;
  /** Tick positions in seconds, from 0 to the axis end. */
  readonly ticks: readonly number[];
  readonly step: number;
  /** The axis covers 0 to this. */
  readonly end: number;
}

/** About this many ticks, whatever the duration. */
const TARGET_TICKS = 12;

/** A scale from 0 to `lastSecond`, drawn from `left` over `width` px, ticked at round steps. */
export function timeScale(lastSecond: number, left: number, width: number): TimeScale {
  const span = Number.isFinite(lastSecond) && lastSecond > 0 ? lastSecond : 1;
  const step = niceStep(span / TARGET_TICKS);
  const end = span;
  const pixelsPerSecond = width / end;
  const ticks: number[] = [];
  for (let i = 0; i * step <= end + 1e-9; i += 1) ticks.push(round(i * step));
  return {
    x: (seconds) => left + Math.min(Math.max(seconds, 0), end) * pixelsPerSecond,
    pixelsPerSecond,
    ticks,
    step,
    end,
  };
}

/** The smallest of 1, 2, 5 x 10^n that is at least `raw`. */
function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const multiple = [1, 2, 5, 10].find((m) => m * magnitude >= raw - 1e-12) ?? 10;
  return round(multiple * magnitude);
}

function round(value: number): number {
  return Number(value.toPrecision(12));
}
