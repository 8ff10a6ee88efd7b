/**
 * The nearest-rank percentile of sorted values: the smallest value with at
 * least `p` of the values at or below it. Undefined for no values.
 *
 * @example
 * nearestRank([1, 2, 3, 4], 0.5); // 2
 * nearestRank([1, 2, 3, 4], 0.99); // 4
 */
export function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1];
}

/** Count, p50 and p99 of some durations, in seconds (nulls for none). */
export function summarise(values: number[]): { count: number; p50Seconds: number | null; p99Seconds: number | null } {
  values.sort((a, b) => a - b);
  return { count: values.length, p50Seconds: nearestRank(values, 0.5) ?? null, p99Seconds: nearestRank(values, 0.99) ?? null };
}
