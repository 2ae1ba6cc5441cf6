/**
 * Traffic statistics, aggregated from the rows of a time window: per group (server, method) and per time
 * bucket. Pure: the store feeds rows in, so the arithmetic is testable without a database.
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

export interface Aggregate {
  messages: number;
  /** Requests sent (either way: tools/call from a client, sampling from a server). */
  requests: number;
  /** Answers that failed: JSON-RPC errors, tool results with isError, HTTP errors. */
  errors: number;
  /** errors / requests, 0 when there were no requests. */
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  tokens: number;
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

class Accumulator {
  messages = 0;
  requests = 0;
  errors = 0;
  tokens = 0;
  readonly durations: number[] = [];

  add(row: StatsRow): void {
    this.messages++;
    if (row.kind === 'request') this.requests++;
    // A failed call shows on its answer; counting the request too would count it twice.
    if (row.failed && row.kind !== 'request') this.errors++;
    if (row.tokens !== null) this.tokens += row.tokens;
    if (row.durationMs !== null) this.durations.push(row.durationMs);
  }

  result(): Aggregate {
    const sorted = this.durations.sort((a, b) => a - b);
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
}

export function aggregateStats(
  rows: Iterable<StatsRow>,
  options: { from: number; to: number; bucketMs: number; groupBy: 'server' | 'method' | 'server+method' },
): StatsResult {
  const totals = new Accumulator();
  const groups = new Map<string, { server: string | null; method: string | null; acc: Accumulator }>();
  const buckets = new Map<number, Accumulator>();
  for (const row of rows) {
    totals.add(row);
    const server = options.groupBy === 'method' ? null : row.server;
    const method = options.groupBy === 'server' ? null : row.method;
    const key = `${server ?? ''}\u0000${method ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { server, method, acc: new Accumulator() };
      groups.set(key, group);
    }
    group.acc.add(row);
    const start = options.from + Math.floor((row.time - options.from) / options.bucketMs) * options.bucketMs;
    let bucket = buckets.get(start);
    if (!bucket) {
      bucket = new Accumulator();
      buckets.set(start, bucket);
    }
    bucket.add(row);
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
