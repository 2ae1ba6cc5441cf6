/**
 * Latency histograms for the statistics rollups: bucket i > 0 holds durations in [2^((i-1)/8), 2^(i/8)) ms
 * (each bucket about 9% wide), bucket 0 everything under 1 ms, the last bucket everything from about nine
 * hours up. A histogram is sparse, `{bucket: count}`, since one slot of one method sees few latencies.
 * Percentiles read from it are interpolated inside their bucket, so they stay within that bucket of the
 * exact value.
 *
 * The bucket is computed in JavaScript when the capture worker adds a record, and in SQL when a trigger
 * takes a deleted record away; both are written here side by side so they stay the same.
 */
const STEPS_PER_DOUBLING = 8;
export const HISTOGRAM_BUCKETS = 2 + 25 * STEPS_PER_DOUBLING;

export type Histogram = Record<number, number>;

export function bucketOf(durationMs: number): number {
  if (!(durationMs >= 1)) return 0;
  return Math.min(HISTOGRAM_BUCKETS - 1, 1 + Math.floor(STEPS_PER_DOUBLING * Math.log2(durationMs)));
}

/** The same as bucketOf, for a SQL expression (SQLite's built-in math functions). */
export function bucketSql(column: string): string {
  return `(CASE WHEN ${column} < 1 THEN 0 ELSE min(${HISTOGRAM_BUCKETS - 1}, 1 + CAST(floor(${STEPS_PER_DOUBLING} * log2(${column})) AS INTEGER)) END)`;
}

/** The lower end of a bucket. */
export function bucketLowerBound(bucket: number): number {
  return bucket === 0 ? 0 : 2 ** ((bucket - 1) / STEPS_PER_DOUBLING);
}

/** The upper end (exclusive) of a bucket; the last one has none. */
export function bucketUpperBound(bucket: number): number {
  if (bucket >= HISTOGRAM_BUCKETS - 1) return Number.POSITIVE_INFINITY;
  return 2 ** (bucket / STEPS_PER_DOUBLING);
}

export function addToHistogram(histogram: Histogram, bucket: number, count = 1): void {
  histogram[bucket] = (histogram[bucket] ?? 0) + count;
}

/** Adds `from` into `into`, bucket by bucket. */
export function mergeHistogram(into: Histogram, from: Readonly<Histogram>): void {
  // for…in without Object.entries: statistics over a week merge thousands of these, three times each,
  // and the pairs Object.entries allocates were most of the time.
  for (const bucket in from)
    into[bucket as unknown as number] =
      (into[bucket as unknown as number] ?? 0) + (from[bucket as unknown as number] as number);
}

function sortedBuckets(histogram: Readonly<Histogram>): [number, number][] {
  return Object.entries(histogram)
    .map(([bucket, count]): [number, number] => [Number(bucket), count])
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0]);
}

/**
 * The nearest-rank percentile as a histogram can tell it: found in the bucket the rank falls in, placed
 * inside the bucket by where the rank falls among its counts, and never above the largest duration seen.
 */
export function histogramPercentile(histogram: Readonly<Histogram>, p: number, maxMs: number): number | null {
  const buckets = sortedBuckets(histogram);
  const count = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return null;
  const rank = Math.min(count, Math.max(1, Math.ceil((p / 100) * count)));
  let seen = 0;
  for (const [bucket, n] of buckets) {
    if (seen + n >= rank) {
      const lower = bucketLowerBound(bucket);
      const upper = Math.min(bucketUpperBound(bucket), maxMs);
      return Math.max(lower, Math.min(upper, lower + ((rank - seen) / n) * (upper - lower)));
    }
    seen += n;
  }
  return maxMs;
}

/** The largest duration as a histogram bounds it: a stored maximum may outlive deleted records. */
export function histogramMax(histogram: Readonly<Histogram>, storedMax: number): number | null {
  const top = sortedBuckets(histogram).at(-1);
  return top ? Math.min(bucketUpperBound(top[0]), storedMax) : null;
}
