import type { Trace } from '../scenario/trace.ts';

/** The trace as one JSON document; times rounded to 0.1 ms of scenario time. */
export function formatJsonTrace(trace: Trace): string {
  return JSON.stringify(
    trace,
    (_key, value: unknown) =>
      typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1e4) / 1e4 : value,
    2,
  );
}
