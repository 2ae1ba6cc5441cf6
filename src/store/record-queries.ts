import type { CapturedRecord } from '../core/record.js';
import type { Filter } from '../filter/ast.js';
import type { Database } from './database.js';
import type { LogStore, Order, PageQuery, RecordPage, TimelineQuery } from './log-store.js';
import { selectRecords } from './query-plan.js';
import { type BodyRow, fitting, ITERATE_BYTES, ITERATE_PAGE, page } from './record-pages.js';
import { COLUMNS_WITHOUT_BODIES, type RecordRow, rowToRecord } from './rows.js';
import { statementCache } from './statement-cache.js';

interface SessionSpan {
  first: number | null;
  last: number | null;
  servers: string | null;
}

/**
 * Reading records. Pages are keyed by record id (keyset pagination), never by offset or time: records
 * sharing a millisecond are neither skipped nor repeated, records arriving meanwhile do not shift pages,
 * and a deep page costs what the first does.
 */
export function recordQueries(
  db: Database,
): Pick<LogStore, 'list' | 'count' | 'get' | 'partnerOf' | 'lastId' | 'iterate' | 'timeline'> {
  const prepare = statementCache(db);
  const byId = db.prepare('SELECT * FROM records WHERE id = ?');
  const answerOf = db.prepare('SELECT * FROM records WHERE partner_id = ? ORDER BY id LIMIT 1');
  const maxId = db.prepare('SELECT max(id) AS id FROM records');
  const sessionRecords = db.prepare(
    `SELECT ${COLUMNS_WITHOUT_BODIES} FROM records r
     WHERE session_id = @session AND (@server IS NULL OR server = @server) AND id > @after
     ORDER BY id LIMIT @limit`,
  );
  const sessionSpan = db.prepare(
    `SELECT min(id) AS first, max(id) AS last, group_concat(DISTINCT server) AS servers FROM records
     WHERE session_id = @session AND (@server IS NULL OR server = @server)`,
  );
  const serverEvents = db.prepare(
    `SELECT ${COLUMNS_WITHOUT_BODIES} FROM records r
     WHERE server = ? AND id BETWEEN ? AND ? AND session_id IS NULL AND kind IN ('stderr', 'other')
     ORDER BY id LIMIT ?`,
  );

  const bodiesOf = db.prepare(
    'SELECT id, message, request_headers, response_headers FROM records WHERE id IN (SELECT value FROM json_each(?))',
  );

  /**
   * Pages are found without reading bodies (`found`: a page and one more row); then, when they are wanted,
   * as many records as fit in `maxBytes` of messages get theirs by id. The filter (full-text search
   * included) runs once, and a run of large results never has to sit in memory whole.
   */
  const pageOf = (found: RecordRow[], query: { limit: number; bodies?: boolean; maxBytes?: number }) => {
    if (query.bodies === false) return page(found, query.limit);
    const limit = query.maxBytes === undefined ? query.limit : fitting(found, query.limit, query.maxBytes);
    const chosen = found.slice(0, limit + 1);
    const rowsById = new Map<number, RecordRow>();
    for (const row of chosen.slice(0, limit)) rowsById.set(row.id, row);
    for (const body of bodiesOf.all(JSON.stringify([...rowsById.keys()])) as BodyRow[]) {
      const row = rowsById.get(body.id) as RecordRow;
      row.message = body.message;
      row.request_headers = body.request_headers;
      row.response_headers = body.response_headers;
    }
    return page(chosen, limit);
  };

  const list = (query: PageQuery): RecordPage => {
    const select = selectRecords(query.filter, {
      columns: COLUMNS_WITHOUT_BODIES,
      order: query.order,
      cursor: query.cursor,
      limit: query.limit + 1,
      now: query.now ?? Date.now(),
    });
    return pageOf(prepare(select.sql).all(...select.params) as RecordRow[], query);
  };

  const get = (id: number): CapturedRecord | null => {
    const row = byId.get(id) as RecordRow | undefined;
    return row ? rowToRecord(row) : null;
  };

  return {
    list,
    count(filter) {
      const select = selectRecords(filter, { columns: 'count(*) AS n', order: null, now: Date.now() });
      return (prepare(select.sql).get(...select.params) as { n: number }).n;
    },
    get,
    partnerOf(record) {
      if (record.partnerId !== null) return get(record.partnerId);
      if (record.kind !== 'request') return null;
      const row = answerOf.get(record.id) as RecordRow | undefined;
      return row ? rowToRecord(row) : null;
    },
    lastId: () => (maxId.get() as { id: number | null }).id ?? 0,
    *iterate(filter: Filter, order: Order) {
      const now = Date.now();
      let cursor: number | undefined;
      for (;;) {
        const result = list({ filter, order, cursor, limit: ITERATE_PAGE, now, maxBytes: ITERATE_BYTES });
        yield* result.records;
        if (!result.nextCursor) return;
        cursor = Number(result.nextCursor);
      }
    },
    timeline(query: TimelineQuery) {
      const limit = query.limit + 1;
      const after = query.cursor ?? 0;
      const scope = { session: query.sessionId, server: query.server ?? null };
      const own = sessionRecords.all({ ...scope, after, limit }) as RecordRow[];
      // What the session's server logged meanwhile outside any session (stderr lines, gateway notes), so
      // a stdio server's complaints show next to the request that caused them.
      const span = sessionSpan.get(scope) as SessionSpan | undefined;
      const around: RecordRow[] = [];
      // Server names never hold a comma (core/server-name.ts), so group_concat's list splits safely.
      for (const server of span?.servers?.split(',') ?? []) {
        if (span?.last === null || span?.last === undefined) break;
        const rows = serverEvents.all(server, Math.max(after + 1, span.first ?? 0), span.last, limit);
        around.push(...(rows as RecordRow[]));
      }
      const merged = around.length === 0 ? own : [...own, ...around].sort((a, b) => a.id - b.id);
      return pageOf(merged.slice(0, limit), query);
    },
  };
}
