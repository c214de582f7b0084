/**
 * Percentiles by linear interpolation between closest ranks (Hyndman & Fan type 7): the rank of
 * the p-th percentile of n sorted values is h = (n - 1) * p, and the value is
 * x[floor h] + (h - floor h) * (x[floor h + 1] - x[floor h]). It is what Excel's MEDIAN and
 * PERCENTILE.INC and numpy's default give, so a manager can check a figure in a spreadsheet:
 * median(1, 2, 3, 4) = 2.5, p90(1, 2, 3, 4) = 3.7.
 */

/** `p` from 0 to 1; null for no values. `sorted` must be in ascending order. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (p < 0 || p > 1) throw new RangeError(`percentile must be within 0..1, got ${p}`);
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return below + (h - lo) * (above - below);
}

export function percentile(values: readonly number[], p: number): number | null {
  return percentileOfSorted([...values].sort((a, b) => a - b), p);
}
