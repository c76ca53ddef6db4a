/** The `p`-th percentile (0-100) of ascending `sorted`, by linear interpolation between ranks; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[high] ?? Number.NaN;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/** The median of `values` in any order; `empty` (default NaN) when there are none. */
export function median(values: readonly number[], empty = Number.NaN): number {
  if (values.length === 0) return empty;
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}
