import type { Database } from './database.js';
import { isErrorSql } from './failure.js';
import type { LogStore, StatsQuery } from './log-store.js';
import { selectRecords } from './query-plan.js';
import { statementCache } from './statement-cache.js';
import { aggregateStats, type StatsRow } from './stats.js';

const COLUMNS = `r.server AS server, r.method AS method, r.kind AS kind, r.time AS time,
  r.duration_ms AS durationMs, r.tokens AS tokens, ${isErrorSql('r.')} AS failed`;

/**
 * Statistics over a time window: the window's records are read through the time index (only the columns
 * the arithmetic needs) and aggregated in JavaScript, where percentiles are simple and exact.
 */
export function statsQuery(db: Database): Pick<LogStore, 'stats'> {
  const prepare = statementCache(db, 32);
  return {
    stats(query: StatsQuery) {
      const select = selectRecords(query.filter, {
        columns: COLUMNS,
        order: null,
        now: query.to,
        extra: [{ sql: 'r.time >= ? AND r.time < ?', params: [query.from, query.to] }],
      });
      const rows = prepare(select.sql).iterate(...select.params) as IterableIterator<StatsRow>;
      return aggregateStats(rows, query);
    },
  };
}
