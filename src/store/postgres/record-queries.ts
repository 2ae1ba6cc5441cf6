import type pg from 'pg';
import type { CapturedRecord } from '../../core/record.js';
import type { Filter } from '../../filter/ast.js';
import type { AsyncLogStore, Order, PageQuery, RecordPage, TimelineQuery } from '../log-store.js';
import { type BodyRow, fitting, ITERATE_BYTES, ITERATE_PAGE, page } from '../record-pages.js';
import { COLUMNS_WITHOUT_BODIES, type RecordRow, rowToRecord } from '../rows.js';
import { hasPhrase, phrasePage } from './phrase-page.js';
import { selectPostgres } from './select.js';

/** A page's columns: the record's without its bodies, and the gateway that captured it. */
const COLUMNS = `${COLUMNS_WITHOUT_BODIES}, r.instance`;

/**
 * Reading records from PostgreSQL, as store/record-queries.ts does from SQLite: keyset pages by id, bodies
 * fetched by id for the rows that fit in `maxBytes`, so neither the filter nor memory grows with payloads.
 */
export function postgresRecordQueries(
  pool: pg.Pool,
): Pick<AsyncLogStore, 'list' | 'count' | 'get' | 'partnerOf' | 'lastId' | 'iterate' | 'timeline'> {
  const rows = async (text: string, values: unknown[]) => (await pool.query<RecordRow>(text, values)).rows;

  const pageOf = async (
    found: RecordRow[],
    query: { limit: number; bodies?: boolean; maxBytes?: number },
  ) => {
    if (query.bodies === false) return page(found, query.limit);
    const limit = query.maxBytes === undefined ? query.limit : fitting(found, query.limit, query.maxBytes);
    const chosen = found.slice(0, limit + 1);
    const byId = new Map<number, RecordRow>();
    for (const row of chosen.slice(0, limit)) byId.set(row.id, row);
    if (byId.size > 0) {
      const bodies = (
        await pool.query<BodyRow>(
          'SELECT id, message, request_headers, response_headers FROM records WHERE id = ANY($1::bigint[])',
          [[...byId.keys()]],
        )
      ).rows;
      for (const body of bodies) {
        const row = byId.get(body.id) as RecordRow;
        row.message = body.message;
        row.request_headers = body.request_headers;
        row.response_headers = body.response_headers;
      }
    }
    return page(chosen, limit);
  };

  const list = async (query: PageQuery): Promise<RecordPage> => {
    const options = {
      columns: COLUMNS,
      order: query.order,
      cursor: query.cursor,
      limit: query.limit + 1,
      now: query.now ?? Date.now(),
    };
    // A phrase misleads the planner into walking the whole table when it is rare (phrase-page.ts).
    if (hasPhrase(query.filter))
      return pageOf(await phrasePage(pool, { filter: query.filter, ...options }), query);
    const select = selectPostgres(query.filter, options);
    return pageOf(await rows(select.text, select.values), query);
  };

  const get = async (id: number): Promise<CapturedRecord | null> => {
    const [row] = await rows('SELECT * FROM records WHERE id = $1', [id]);
    return row ? rowToRecord(row) : null;
  };

  return {
    list,
    async count(filter: Filter) {
      const select = selectPostgres(filter, { columns: 'count(*) AS n', order: null, now: Date.now() });
      return Number((await pool.query<{ n: number }>(select.text, select.values)).rows[0]?.n ?? 0);
    },
    get,
    async partnerOf(record) {
      if (record.partnerId !== null) return get(record.partnerId);
      if (record.kind !== 'request') return null;
      const [row] = await rows('SELECT * FROM records WHERE partner_id = $1 ORDER BY id LIMIT 1', [
        record.id,
      ]);
      return row ? rowToRecord(row) : null;
    },
    async lastId() {
      return (await pool.query<{ id: number | null }>('SELECT max(id) AS id FROM records')).rows[0]?.id ?? 0;
    },
    async *iterate(filter: Filter, order: Order) {
      const now = Date.now();
      let cursor: number | undefined;
      for (;;) {
        const result = await list({
          filter,
          order,
          cursor,
          limit: ITERATE_PAGE,
          now,
          maxBytes: ITERATE_BYTES,
        });
        yield* result.records;
        if (!result.nextCursor) return;
        cursor = Number(result.nextCursor);
      }
    },
    async timeline(query: TimelineQuery) {
      const limit = query.limit + 1;
      const after = query.cursor ?? 0;
      const server = query.server ?? null;
      const own = await rows(
        `SELECT ${COLUMNS} FROM records r
         WHERE session_id = $1 AND ($2::text IS NULL OR server = $2) AND id > $3 ORDER BY id LIMIT $4`,
        [query.sessionId, server, after, limit],
      );
      // What the session's servers logged meanwhile outside any session (stderr lines, gateway notes), so a
      // stdio server's complaints show next to the request that caused them (as on SQLite).
      const [span] = (
        await pool.query<{ first: number | null; last: number | null; servers: string[] | null }>(
          `SELECT min(id) AS first, max(id) AS last, array_agg(DISTINCT server) AS servers FROM records
           WHERE session_id = $1 AND ($2::text IS NULL OR server = $2)`,
          [query.sessionId, server],
        )
      ).rows;
      const around: RecordRow[] = [];
      for (const name of span?.servers ?? []) {
        if (span?.first == null || span.last == null) break;
        around.push(
          ...(await rows(
            `SELECT ${COLUMNS} FROM records r
             WHERE server = $1 AND id BETWEEN $2 AND $3 AND session_id IS NULL AND kind IN ('stderr', 'other')
             ORDER BY id LIMIT $4`,
            [name, Math.max(after + 1, span.first), span.last, limit],
          )),
        );
      }
      const merged = around.length === 0 ? own : [...own, ...around].sort((a, b) => a.id - b.id);
      return pageOf(merged.slice(0, limit), query);
    },
  };
}
