/**
 * Latency histograms for the statistics rollups: bucket i > 0 holds durations in [2^((i-1)/2), 2^(i/2)) ms,
 * bucket 0 everything under 1 ms, the last bucket everything from about 35 minutes up. Half-powers of two
 * keep any percentile read from a histogram within one bucket (a factor of √2) of the exact value.
 *
 * The bucket is computed in JavaScript when the capture worker adds a record, and in SQL when a trigger
 * takes a deleted record away; both are written here side by side so they stay the same.
 */
export const HISTOGRAM_BUCKETS = 44;

export function bucketOf(durationMs: number): number {
  if (!(durationMs >= 1)) return 0;
  return Math.min(HISTOGRAM_BUCKETS - 1, 1 + Math.floor(2 * Math.log2(durationMs)));
}

/** The same as bucketOf, for a SQL expression (SQLite's built-in math functions). */
export function bucketSql(column: string): string {
  return `(CASE WHEN ${column} < 1 THEN 0 ELSE min(${HISTOGRAM_BUCKETS - 1}, 1 + CAST(floor(2 * log2(${column})) AS INTEGER)) END)`;
}

/** The upper end (exclusive) of a bucket; the last one has none. */
export function bucketUpperBound(bucket: number): number {
  if (bucket >= HISTOGRAM_BUCKETS - 1) return Number.POSITIVE_INFINITY;
  return bucket === 0 ? 1 : 2 ** (bucket / 2);
}

export function emptyHistogram(): number[] {
  return new Array<number>(HISTOGRAM_BUCKETS).fill(0);
}

/** Adds `from` into `into`, bucket by bucket. */
export function mergeHistogram(into: number[], from: readonly number[]): void {
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

export function histogramCount(histogram: readonly number[]): number {
  let count = 0;
  for (const n of histogram) count += n;
  return count;
}

/**
 * The nearest-rank percentile as a histogram can tell it: the upper end of the bucket the rank falls in,
 * but never more than the largest duration seen (which lies in that bucket or above it).
 */
export function histogramPercentile(histogram: readonly number[], p: number, maxMs: number): number | null {
  const count = histogramCount(histogram);
  if (count === 0) return null;
  const rank = Math.min(count, Math.max(1, Math.ceil((p / 100) * count)));
  let seen = 0;
  for (let bucket = 0; bucket < HISTOGRAM_BUCKETS; bucket++) {
    seen += histogram[bucket] ?? 0;
    if (seen >= rank) return Math.min(bucketUpperBound(bucket), maxMs);
  }
  return maxMs;
}

/** The largest duration as a histogram bounds it: a stored maximum may outlive deleted records. */
export function histogramMax(histogram: readonly number[], storedMax: number): number | null {
  for (let bucket = HISTOGRAM_BUCKETS - 1; bucket >= 0; bucket--) {
    if ((histogram[bucket] ?? 0) > 0) return Math.min(bucketUpperBound(bucket), storedMax);
  }
  return null;
}
