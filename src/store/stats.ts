import {
  addToHistogram,
  bucketOf,
  HISTOGRAM_BUCKETS,
  type Histogram,
  histogramMax,
  histogramPercentile,
  mergeHistogram,
} from './latency-histogram.js';

/**
 * Traffic statistics, aggregated from the rows of a time window and from rollups (per-slot totals with a
 * latency histogram): per group (server, method) and per time bucket. Pure: the store feeds rows in, so
 * the arithmetic is testable without a database. Percentiles are exact from rows alone, and within one
 * histogram bucket once rollups are part of the answer.
 */

export interface StatsRow {
  server: string;
  method: string | null;
  kind: string;
  time: number;
  durationMs: number | null;
  tokens: number | null;
  failed: number;
}

export interface Aggregate extends Counts {
  /** errors / requests, 0 when there were no requests. */
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export interface GroupStats extends Aggregate {
  server: string | null;
  method: string | null;
}

export interface BucketStats extends Aggregate {
  /** Start of the bucket (epoch ms). */
  start: number;
}

export interface StatsResult {
  from: number;
  to: number;
  bucketMs: number;
  totals: Aggregate;
  groups: GroupStats[];
  series: BucketStats[];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

/** The totals every statistic keeps, from raw rows and rollups alike. */
export interface Counts {
  messages: number;
  /** Requests sent (either way: tools/call from a client, sampling from a server). */
  requests: number;
  /** Answers that failed: JSON-RPC errors, tool results with isError, HTTP errors. */
  errors: number;
  tokens: number;
}

/**
 * What one record adds to a total. The one place of the counting rules, for statistics read from records
 * and for the rollups the capture writer keeps (rollup-tally.ts), so the two always agree.
 */
export function countRecord(into: Counts, kind: string, failed: boolean, tokens: number | null): void {
  into.messages++;
  if (kind === 'request') into.requests++;
  // A failed call shows on its answer; counting the request too would count it twice.
  else if (failed) into.errors++;
  into.tokens += tokens ?? 0;
}

/** Totals of one or more rollup slots, with their merged latency histogram. */
export interface RollupSum extends Counts {
  maxMs: number | null;
  histogram: Readonly<Histogram>;
}

/** A rollup slot's totals (rollup-tally.ts), read back for a window. */
export interface RollupRow extends RollupSum {
  start: number;
  server: string;
  /** Empty for records without a method. */
  method: string;
}

/**
 * Rollups a store has already added up where they are kept, the three ways statistics need them: the whole
 * window, each group (its server and method, empty where the grouping leaves them out), each chart bucket.
 */
export interface RollupSums {
  totals: RollupSum | null;
  groups: readonly { server: string; method: string; sum: RollupSum }[];
  buckets: readonly { start: number; sum: RollupSum }[];
}

class Accumulator implements Counts {
  messages = 0;
  requests = 0;
  errors = 0;
  tokens = 0;
  readonly durations: number[] = [];
  /** Set once a rollup is added: durations then go into it too, and percentiles come from it. */
  histogram: Histogram | null = null;
  rollupMax = Number.NEGATIVE_INFINITY;

  addRollup(row: RollupSum): void {
    this.messages += row.messages;
    this.requests += row.requests;
    this.errors += row.errors;
    this.tokens += row.tokens;
    // Dense: merging thousands of sparse rollup histograms into one is then plain array arithmetic.
    this.histogram ??= new Array<number>(HISTOGRAM_BUCKETS).fill(0);
    mergeHistogram(this.histogram, row.histogram);
    if (row.maxMs !== null) this.rollupMax = Math.max(this.rollupMax, row.maxMs);
  }

  add(row: StatsRow): void {
    countRecord(this, row.kind, row.failed !== 0, row.tokens);
    if (row.durationMs !== null) this.durations.push(row.durationMs);
  }

  result(): Aggregate {
    const sorted = this.durations.sort((a, b) => a - b);
    if (this.histogram) return this.#fromHistogram(this.histogram, sorted);
    return {
      messages: this.messages,
      requests: this.requests,
      errors: this.errors,
      errorRate: this.requests > 0 ? Math.min(1, this.errors / this.requests) : 0,
      p50Ms: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : null,
      tokens: this.tokens,
    };
  }

  #fromHistogram(histogram: Histogram, sorted: readonly number[]): Aggregate {
    for (const duration of sorted) addToHistogram(histogram, bucketOf(duration));
    const largest = Math.max(this.rollupMax, sorted.at(-1) ?? Number.NEGATIVE_INFINITY);
    const maxMs = Number.isFinite(largest) ? histogramMax(histogram, largest) : null;
    return {
      messages: this.messages,
      requests: this.requests,
      errors: this.errors,
      errorRate: this.requests > 0 ? Math.min(1, this.errors / this.requests) : 0,
      p50Ms: maxMs === null ? null : histogramPercentile(histogram, 50, maxMs),
      p95Ms: maxMs === null ? null : histogramPercentile(histogram, 95, maxMs),
      p99Ms: maxMs === null ? null : histogramPercentile(histogram, 99, maxMs),
      maxMs,
      tokens: this.tokens,
    };
  }
}

export interface StatsOptions {
  from: number;
  to: number;
  bucketMs: number;
  groupBy: 'server' | 'method' | 'server+method';
}

export function aggregateStats(
  rows: Iterable<StatsRow>,
  options: StatsOptions,
  rollups: Iterable<RollupRow> = [],
  sums?: RollupSums,
): StatsResult {
  const totals = new Accumulator();
  const groups = new Map<string, { server: string | null; method: string | null; acc: Accumulator }>();
  const buckets = new Map<number, Accumulator>();
  const groupOf = (server: string, method: string | null) => {
    const groupServer = options.groupBy === 'method' ? null : server;
    const groupMethod = options.groupBy === 'server' ? null : method;
    const key = `${groupServer ?? ''}\u0000${groupMethod ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { server: groupServer, method: groupMethod, acc: new Accumulator() };
      groups.set(key, group);
    }
    return group.acc;
  };
  const bucketOfTime = (time: number) => {
    const start = options.from + Math.floor((time - options.from) / options.bucketMs) * options.bucketMs;
    let bucket = buckets.get(start);
    if (!bucket) {
      bucket = new Accumulator();
      buckets.set(start, bucket);
    }
    return bucket;
  };
  for (const row of rows) {
    totals.add(row);
    groupOf(row.server, row.method).add(row);
    bucketOfTime(row.time).add(row);
  }
  // A rollup slot divides the chart's bucket and starts on its grid, so it falls in one bucket whole.
  for (const rollup of rollups) {
    totals.addRollup(rollup);
    groupOf(rollup.server, rollup.method === '' ? null : rollup.method).addRollup(rollup);
    bucketOfTime(rollup.start).addRollup(rollup);
  }
  if (sums) {
    if (sums.totals) totals.addRollup(sums.totals);
    for (const group of sums.groups) {
      groupOf(group.server, group.method === '' ? null : group.method).addRollup(group.sum);
    }
    for (const bucket of sums.buckets) bucketOfTime(bucket.start).addRollup(bucket.sum);
  }
  const series: BucketStats[] = [];
  for (let start = options.from; start < options.to; start += options.bucketMs) {
    series.push({ start, ...(buckets.get(start) ?? new Accumulator()).result() });
  }
  return {
    from: options.from,
    to: options.to,
    bucketMs: options.bucketMs,
    totals: totals.result(),
    groups: [...groups.values()]
      .map(({ server, method, acc }) => ({ server, method, ...acc.result() }))
      .sort((a, b) => b.messages - a.messages),
    series,
  };
}
