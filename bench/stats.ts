import { median, percentile } from '../src/statistics/percentile.ts';

export { median, percentile };

/** Summary statistics for a set of measurements: the figure and its spread, in the input's unit. */
export interface Spread {
  n: number;
  mean: number;
  /** Sample standard deviation. */
  sd: number;
  /** Relative margin of error of the mean at 95% confidence, in percent (normal approximation). */
  rme: number;
  min: number;
  p50: number;
  p75: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / n;
  const variance =
    n > 1 ? sorted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1) : 0;
  const sd = Math.sqrt(variance);
  // 1.96: the normal quantile; with the hundreds of samples a full run takes, Student's t is the same.
  const rme = n > 0 && mean !== 0 ? ((1.96 * sd) / Math.sqrt(n) / mean) * 100 : 0;
  return {
    n,
    mean,
    sd,
    rme,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p75: percentile(sorted, 75),
    p99: percentile(sorted, 99),
    max: sorted[n - 1] ?? Number.NaN,
  };
}

/** Rounds every number of a spread to `digits` decimals, for JSON a person can read. */
export function roundSpread(spread: Spread, digits = 1): Spread {
  const round = (value: number) => Number(value.toFixed(digits));
  return {
    n: spread.n,
    mean: round(spread.mean),
    sd: round(spread.sd),
    rme: Number(spread.rme.toFixed(2)),
    min: round(spread.min),
    p50: round(spread.p50),
    p75: round(spread.p75),
    p99: round(spread.p99),
    max: round(spread.max),
  };
}
