import type { Filter } from '../filter/ast.js';
import type { SqlFragment } from '../filter/field-kinds.js';
import { compileFilter, FTS_TABLE } from '../filter/sql.js';
import type { Order } from './log-store.js';

export interface SelectOptions {
  columns: string;
  /** Null when order does not matter (aggregates): SQLite then picks whichever index is cheapest. */
  order: Order | null;
  /** Keyset cursor: only records after (or before, newest first) this id. */
  cursor?: number;
  limit?: number;
  now: number;
  extra?: SqlFragment[];
}

/**
 * Searching a session for a word: the session's few records are checked one by one. Otherwise the full-text
 * index leads, walked newest first (FTS5 reads doclists in rowid order, so `ORDER BY rowid DESC LIMIT n`
 * stops after n hits instead of collecting every match first).
 */
function narrowedBySession(filter: Filter): boolean {
  return filter.terms.some(
    (t) =>
      t.type === 'field' &&
      t.field === 'session' &&
      !t.negated &&
      (t.op === 'is' || t.op === '=') &&
      t.raw.every((v) => !v.includes('*')),
  );
}

/** The SELECT over `records r` for a filter, paged by id. Every value is a bound parameter. */
export function selectRecords(filter: Filter, options: SelectOptions): SqlFragment {
  const compiled = compileFilter(filter, { now: options.now });
  const where: string[] = [];
  const params: unknown[] = [];
  let from = 'records r';
  let idColumn = 'r.id';
  if (compiled.match !== null) {
    if (narrowedBySession(filter)) {
      where.push(`EXISTS (SELECT 1 FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ? AND rowid = r.id)`);
    } else {
      from = `${FTS_TABLE} f JOIN records r ON r.id = f.rowid`;
      // The cursor goes to the FTS table's rowid, where FTS5 can seek with it.
      idColumn = 'f.rowid';
      where.push(`f.${FTS_TABLE} MATCH ?`);
    }
    params.push(compiled.match);
  }
  // The caller's own bounds go before the filter's: with two lower bounds on one indexed column
  // (`time >= <7 days ago>` from `last:7d` and `time >= <the last whole hour>` from statistics' edge
  // slot), SQLite's range scan starts from the first one it is given and checks the other row by row —
  // at a million records, 180 ms to find the last hour's few rows instead of a fraction of a millisecond.
  for (const fragment of options.extra ?? []) {
    where.push(fragment.sql);
    params.push(...fragment.params);
  }
  if (compiled.where) {
    where.push(compiled.where.sql);
    params.push(...compiled.where.params);
  }
  if (options.cursor !== undefined) {
    where.push(`${idColumn} ${options.order === 'desc' ? '<' : '>'} ?`);
    params.push(options.cursor);
  }
  let sql = `SELECT ${options.columns} FROM ${from}`;
  if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
  if (options.order !== null) sql += ` ORDER BY ${idColumn} ${options.order === 'desc' ? 'DESC' : 'ASC'}`;
  if (options.limit !== undefined) {
    sql += ' LIMIT ?';
    params.push(options.limit);
  }
  return { sql, params };
}
