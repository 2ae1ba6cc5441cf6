import type pg from 'pg';
import { isErrorSql } from '../failure.js';
import type { Histogram } from '../latency-histogram.js';
import type { AsyncLogStore, StatsQuery } from '../log-store.js';
import {
  type Aggregate,
  aggregateStats,
  type BucketStats,
  type GroupStats,
  type RollupSum,
  type RollupSums,
  type StatsResult,
  type StatsRow,
} from '../stats.js';
import { planRollups } from '../stats-rollups.js';
import { compilePostgresFilter } from './filter-sql.js';
import { selectPostgres } from './select.js';
import { inTransaction } from './transaction.js';

/** Memory for the histogram grouping of one statistics read (a bound per sort or hash, not a reservation). */
const STATS_WORK_MEM = '32MB';

interface AggregateRow {
  g: number;
  server: string | null;
  method: string | null;
  slot: number | null;
  messages: number;
  requests: number;
  errors: number;
  tokens: number;
  pct: (number | null)[] | null;
  max: number | null;
}

const GROUP_COLUMNS: Readonly<Record<StatsQuery['groupBy'], readonly string[]>> = {
  server: ['server'],
  method: ['method'],
  'server+method': ['server', 'method'],
};

const EMPTY: Aggregate = {
  messages: 0,
  requests: 0,
  errors: 0,
  tokens: 0,
  errorRate: 0,
  p50Ms: null,
  p95Ms: null,
  p99Ms: null,
  maxMs: null,
};

/** The counting rules of stats.ts `countRecord` (a failed call counts on its answer, not its request). */
function aggregate(row: AggregateRow): Aggregate {
  return {
    messages: row.messages,
    requests: row.requests,
    errors: row.errors,
    tokens: row.tokens,
    errorRate: row.requests > 0 ? Math.min(1, row.errors / row.requests) : 0,
    p50Ms: row.pct?.[0] ?? null,
    p95Ms: row.pct?.[1] ?? null,
    p99Ms: row.pct?.[2] ?? null,
    maxMs: row.max,
  };
}

/**
 * Statistics over a time window, added up where the rows are: one pass over the window's records (the time
 * index narrows them), grouped three ways at once with GROUPING SETS (the whole window, each group, each
 * time bucket). Percentiles are exact nearest-rank ones (`percentile_disc`), as stats.ts computes from rows.
 */
const ROW_COLUMNS = `r.server AS server, r.method AS method, r.kind AS kind, r.time AS time,
  r.duration_ms AS "durationMs", r.tokens AS tokens, CASE WHEN ${isErrorSql('r.')} THEN 1 ELSE 0 END AS failed`;

/**
 * Whole slots from the rollups (migrations-reads.ts) when the filter only names servers, methods and time
 * (the same plan as SQLite's, ../stats-rollups.ts); the partial slots at the window's edges from the
 * records; the arithmetic is stats.ts's, so percentiles are within one histogram bucket, as on SQLite.
 */
async function fromRollups(pool: pg.Pool, query: StatsQuery): Promise<StatsResult | null> {
  const plan = planRollups(query);
  if (!plan) return null;
  const rows: StatsRow[] = [];
  for (const [from, to] of plan.records) {
    const select = selectPostgres(query.filter, {
      columns: ROW_COLUMNS,
      order: null,
      now: query.to,
      extra: [{ sql: 'r.time >= $?::float8 AND r.time < $?::float8', params: [from, to] }],
    });
    rows.push(...(await pool.query<StatsRow>(select.text, select.values)).rows);
  }
  const values: unknown[] = [];
  const spans = plan.spans
    .map(({ level, from, to }) => {
      values.push(level, from, to);
      const n = values.length;
      return `(r.level = $${n - 2} AND r.start >= $${n - 1} AND r.start < $${n})`;
    })
    .join(' OR ');
  // planRollups answers only for filters of servers, methods and time: the server and method terms apply to
  // rollup rows as they do to records (a rollup's method is '' where records have none).
  const kept = query.filter.terms.filter(
    (t) => t.type === 'field' && (t.field === 'server' || t.field === 'method'),
  );
  const where = compilePostgresFilter({ terms: kept }, { now: query.to }, values);
  values.push(query.from, query.bucketMs);
  const n = values.length;
  // Each rollup row with the chart bucket it falls in whole (a slot divides the bucket, on its grid).
  const slotted = (table: string, live: string) =>
    `SELECT r.*, floor((r.start - $${n - 1}::float8) / $${n}::float8)::int8 AS slot FROM ${table} r
     WHERE (${spans}) AND ${live} ${where === null ? '' : `AND ${where}`}`;
  const groups = GROUP_COLUMNS[query.groupBy];
  const keys = groups.join(', ');
  // Added up in the database the three ways the answer needs (window, group, bucket): a week of rollups is
  // about a hundred thousand histogram rows, which would otherwise all cross to this process.
  const [counts, histograms] = await Promise.all([
    pool.query<SumRow>(
      `SELECT GROUPING(${keys}, slot) AS g, ${keys}, slot, sum(messages)::int8 AS messages,
         sum(requests)::int8 AS requests, sum(errors)::int8 AS errors, sum(tokens)::int8 AS tokens,
         max(max_ms) AS "maxMs"
       FROM (${slotted('rollups', 'r.messages > 0')}) s
       GROUP BY GROUPING SETS ((${keys}), (slot), ())`,
      values,
    ),
    // A day of 5-minute slots is about a hundred thousand histogram rows: with the default work_mem (4 MB)
    // the grouping sorts them on disk (EXPLAIN: "external merge"), with more it hashes them in memory, about
    // twice as fast at 1M records. For this statement's transaction only.
    inTransaction(pool, async (client) => {
      await client.query(`SET LOCAL work_mem = '${STATS_WORK_MEM}'`);
      return client.query<SumRow & { bucket: number; count: number }>(
        `SELECT GROUPING(${keys}, slot) AS g, ${keys}, slot, bucket, sum(count)::int8 AS count
         FROM (${slotted('rollup_latency', 'r.count > 0')}) s
         GROUP BY GROUPING SETS ((${keys}, bucket), (slot, bucket), (bucket))`,
        values,
      );
    }),
  ]);
  const keyOf = (row: SumRow) => `${row.g} ${row.server ?? ''}\u0000${row.method ?? ''} ${row.slot ?? ''}`;
  const merged = new Map<string, Histogram>();
  for (const row of histograms.rows) {
    const key = keyOf(row);
    let histogram = merged.get(key);
    if (!histogram) {
      histogram = {};
      merged.set(key, histogram);
    }
    histogram[row.bucket] = row.count;
  }
  const all = (1 << (groups.length + 1)) - 1;
  const sums: {
    totals: RollupSum | null;
    groups: RollupSums['groups'][number][];
    buckets: RollupSums['buckets'][number][];
  } = {
    totals: null,
    groups: [],
    buckets: [],
  };
  for (const row of counts.rows) {
    const sum: RollupSum = {
      messages: row.messages,
      requests: row.requests,
      errors: row.errors,
      tokens: row.tokens,
      maxMs: row.maxMs,
      histogram: merged.get(keyOf(row)) ?? {},
    };
    if (row.g === all) sums.totals = sum;
    else if (row.g === 1) sums.groups.push({ server: row.server ?? '', method: row.method ?? '', sum });
    else sums.buckets.push({ start: query.from + (row.slot as number) * query.bucketMs, sum });
  }
  return aggregateStats(rows, query, [], sums);
}

/** A sum of rollups as the GROUPING SETS queries answer it; `g` tells which of the three sums it is. */
interface SumRow {
  g: number;
  server?: string | null;
  method?: string | null;
  slot: number | null;
  messages: number;
  requests: number;
  errors: number;
  tokens: number;
  maxMs: number | null;
}

export function postgresStats(pool: pg.Pool): Pick<AsyncLogStore, 'stats'> {
  return {
    async stats(query: StatsQuery): Promise<StatsResult> {
      const planned = await fromRollups(pool, query);
      if (planned) return planned;
      const groups = GROUP_COLUMNS[query.groupBy];
      const inner = selectPostgres(query.filter, {
        columns: `r.server AS server, r.method AS method, r.kind AS kind, r.time AS time,
          r.duration_ms AS duration_ms, r.tokens AS tokens, ${isErrorSql('r.')} AS failed`,
        order: null,
        now: query.to,
        extra: [{ sql: 'r.time >= $?::float8 AND r.time < $?::float8', params: [query.from, query.to] }],
      });
      const n = inner.values.length;
      const { rows } = await pool.query<AggregateRow>(
        `SELECT GROUPING(${[...groups, 'slot'].join(', ')}) AS g, ${groups.join(', ')}, slot,
           count(*) AS messages, count(*) FILTER (WHERE kind = 'request') AS requests,
           count(*) FILTER (WHERE kind <> 'request' AND failed) AS errors, coalesce(sum(tokens), 0) AS tokens,
           percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_ms) AS pct,
           max(duration_ms) AS max
         FROM (SELECT *, floor((time - $${n + 1}::float8) / $${n + 2}::float8) AS slot FROM (${inner.text}) i) w
         GROUP BY GROUPING SETS ((), (${groups.join(', ')}), (slot))`,
        [...inner.values, query.from, query.bucketMs],
      );
      const all = (1 << (groups.length + 1)) - 1;
      let totals = EMPTY;
      const groupStats: GroupStats[] = [];
      const buckets = new Map<number, Aggregate>();
      for (const row of rows) {
        if (row.g === all) totals = aggregate(row);
        else if (row.g === 1) {
          groupStats.push({
            server: groups.includes('server') ? row.server : null,
            method: groups.includes('method') ? row.method : null,
            ...aggregate(row),
          });
        } else buckets.set(query.from + (row.slot as number) * query.bucketMs, aggregate(row));
      }
      const series: BucketStats[] = [];
      for (let start = query.from; start < query.to; start += query.bucketMs) {
        series.push({ start, ...(buckets.get(start) ?? EMPTY) });
      }
      return {
        from: query.from,
        to: query.to,
        bucketMs: query.bucketMs,
        totals,
        groups: groupStats.sort((a, b) => b.messages - a.messages),
        series,
      };
    },
  };
}
