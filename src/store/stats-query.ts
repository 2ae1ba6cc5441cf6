import type { Database } from './database.js';
import { isErrorSql } from './failure.js';
import type { LogStore, StatsQuery } from './log-store.js';
import { selectRecords } from './query-plan.js';
import { statementCache } from './statement-cache.js';
import { aggregateStats, type RollupRow, type StatsRow } from './stats.js';
import { planRollups, type RollupSpan } from './stats-rollups.js';

const COLUMNS = `r.server AS server, r.method AS method, r.kind AS kind, r.time AS time,
  r.duration_ms AS durationMs, r.tokens AS tokens, ${isErrorSql('r.')} AS failed`;

interface StoredRollup extends Omit<RollupRow, 'histogram'> {
  hist: string;
}

function* parsed(rows: IterableIterator<StoredRollup>): Generator<RollupRow> {
  for (const { hist, ...row } of rows) yield { ...row, histogram: JSON.parse(hist) as number[] };
}

/**
 * Statistics over a time window. Whole slots come from the rollups (rollup-tally.ts) when the filter only
 * names servers, methods and time; the rest (the window's partial edge slots, buckets under a minute, any
 * other filter) is read from the records through the time index, only the columns the arithmetic needs.
 */
export function statsQuery(db: Database): Pick<LogStore, 'stats'> {
  const prepare = statementCache(db, 32);
  return {
    stats(query: StatsQuery) {
      const plan = planRollups(query);
      // Each time range is its own index range scan: one query with "time < a OR time >= b" would read
      // every record of the window.
      const read = ([from, to]: [number, number]) => {
        const select = selectRecords(query.filter, {
          columns: COLUMNS,
          order: null,
          now: query.to,
          extra: [{ sql: 'r.time >= ? AND r.time < ?', params: [from, to] }],
        });
        return prepare(select.sql).iterate(...select.params) as IterableIterator<StatsRow>;
      };
      // Rows stream through the arithmetic; only the edges of a rollup plan (under a minute each) are held.
      if (!plan) return aggregateStats(read([query.from, query.to]), query);
      const rows = plan.records.flatMap((range) => [...read(range)]);
      const where = plan.where ? ` AND ${plan.where.sql}` : '';
      const slots = prepare(
        `SELECT r.start AS start, r.server AS server, r.method AS method, r.messages AS messages,
           r.requests AS requests, r.errors AS errors, r.tokens AS tokens, r.max_ms AS maxMs, r.hist AS hist
         FROM rollups r WHERE r.level = ? AND r.start >= ? AND r.start < ?${where}`,
      );
      const params = plan.where?.params ?? [];
      // One index range per span (level, start), read one after the other: a statement runs one at a time.
      function* rollups(spans: readonly RollupSpan[]): Generator<RollupRow> {
        for (const { level, from, to } of spans)
          yield* parsed(slots.iterate(level, from, to, ...params) as IterableIterator<StoredRollup>);
      }
      return aggregateStats(rows, query, rollups(plan.spans));
    },
  };
}
