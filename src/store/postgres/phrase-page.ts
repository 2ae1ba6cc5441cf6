import type pg from 'pg';
import type { Filter } from '../../filter/ast.js';
import { tokenize } from '../../filter/match-text.js';
import type { Order } from '../log-store.js';
import type { RecordRow } from '../rows.js';
import { selectPostgres } from './select.js';

/** Records next to the cursor that a phrase search checks one by one before it asks the index. */
export const PHRASE_WINDOW = 5000;

/** Whether the filter holds a phrase of two or more words (free text, not negated). */
export function hasPhrase(filter: Filter): boolean {
  return filter.terms.some((term) => term.type === 'text' && !term.negated && tokenize(term.text).length > 1);
}

export interface PhrasePageQuery {
  filter: Filter;
  columns: string;
  order: Order;
  cursor?: number;
  /** Rows wanted (a page and one more, to tell whether there is a next page). */
  limit: number;
  now: number;
}

/**
 * A page of records matching a filter with a phrase, in two steps. PostgreSQL estimates a phrase to be as
 * common as its words all together ('ref' <-> '0' as every record with both), so for a rare phrase of common
 * words it walks the records in id order, checking each, and reads the whole table when few match (3 to 7 s
 * at 1,000,000 records for "REF-0", which 6 records hold). Here the walk is bounded: the `window` records
 * next to the cursor are checked first, and only when they hold less than a page are the rest of the matches
 * taken from the search index (materialised, so the planner cannot go back to walking), which a phrase too
 * rare to fill a page from that window keeps short.
 */
export async function phrasePage(
  pool: pg.Pool,
  query: PhrasePageQuery,
  window = PHRASE_WINDOW,
): Promise<RecordRow[]> {
  const desc = query.order === 'desc';
  const { rows } = await pool.query<{ first: number | null; last: number | null }>(
    'SELECT min(id) AS first, max(id) AS last FROM records',
  );
  const first = Number(rows[0]?.first ?? 0);
  const last = Number(rows[0]?.last ?? 0);
  // About `window` records from the cursor on (ids can have gaps: other writers', dropped batches').
  const start = query.cursor ?? (desc ? last + 1 : first - 1);
  const edge = desc ? start - window : start + window;
  const whole = desc ? edge <= first : edge >= last;
  const near = selectPostgres(query.filter, {
    columns: query.columns,
    order: query.order,
    cursor: query.cursor,
    limit: query.limit,
    now: query.now,
    // The window's records only, unless it reached the end of the table.
    extra: whole ? [] : [{ sql: `r.id ${desc ? '>=' : '<='} $?`, params: [edge] }],
  });
  const found = (await pool.query<RecordRow>(near.text, near.values)).rows;
  if (found.length >= query.limit || whole) return found;
  const beyond = selectPostgres(query.filter, {
    columns: 'r.id',
    order: null,
    now: query.now,
    extra: [{ sql: `r.id ${desc ? '<' : '>'} $?`, params: [edge] }],
  });
  const rest = beyond.values.length + 1;
  const direction = desc ? 'DESC' : 'ASC';
  const more = await pool.query<RecordRow>(
    `WITH matches AS MATERIALIZED (${beyond.text})
     SELECT ${query.columns} FROM records r
     WHERE r.id IN (SELECT id FROM matches ORDER BY id ${direction} LIMIT $${rest})
     ORDER BY r.id ${direction}`,
    [...beyond.values, query.limit - found.length],
  );
  return [...found, ...more.rows];
}
