/** Scenario seconds for labels: `12 s`, `2.5 s`, `0.25 s`. */
export function secondsLabel(seconds: number): string {
  const digits = Math.abs(seconds) >= 10 ? 1 : 2;
  return `${Number(seconds.toFixed(digits))} s`;
}

/** A latency in scenario time: milliseconds under a second (`38 ms`), seconds above (`2.01 s`). */
export function formatLatency(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${seconds.toFixed(2)} s`;
}

/** One line, at most `max` characters, for tooltips. */
export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
