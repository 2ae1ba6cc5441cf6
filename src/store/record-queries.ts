import type { CapturedRecord } from '../core/record.js';
import type { Filter } from '../filter/ast.js';
import type { Database } from './database.js';
import type { LogStore, Order, PageQuery, RecordPage, TimelineQuery } from './log-store.js';
import { selectRecords } from './query-plan.js';
import { COLUMNS_WITHOUT_BODIES, type RecordRow, rowToRecord } from './rows.js';
import { statementCache } from './statement-cache.js';

const ITERATE_PAGE = 500;

interface SessionSpan {
  first: number | null;
  last: number | null;
  servers: string | null;
}

function page(rows: RecordRow[], limit: number): RecordPage {
  const hasMore = rows.length > limit;
  const records = (hasMore ? rows.slice(0, limit) : rows).map(rowToRecord);
  const last = records[records.length - 1];
  return { records, hasMore, nextCursor: hasMore && last ? String(last.id) : null };
}

/**
 * Reading records. Pages are keyed by record id (keyset pagination), never by offset or time: records
 * sharing a millisecond are neither skipped nor repeated, records arriving meanwhile do not shift pages,
 * and a deep page costs what the first does.
 */
export function recordQueries(
  db: Database,
): Pick<LogStore, 'list' | 'get' | 'partnerOf' | 'lastId' | 'iterate' | 'timeline'> {
  const prepare = statementCache(db);
  const byId = db.prepare('SELECT * FROM records WHERE id = ?');
  const answerOf = db.prepare('SELECT * FROM records WHERE partner_id = ? ORDER BY id LIMIT 1');
  const maxId = db.prepare('SELECT max(id) AS id FROM records');
  const sessionRecords = db.prepare(
    `SELECT * FROM records WHERE session_id = @session AND (@server IS NULL OR server = @server)
       AND id > @after ORDER BY id LIMIT @limit`,
  );
  const sessionSpan = db.prepare(
    `SELECT min(id) AS first, max(id) AS last, group_concat(DISTINCT server) AS servers FROM records
     WHERE session_id = @session AND (@server IS NULL OR server = @server)`,
  );
  const serverEvents = db.prepare(
    `SELECT * FROM records WHERE server = ? AND id BETWEEN ? AND ? AND session_id IS NULL
       AND kind IN ('stderr', 'other')
     ORDER BY id LIMIT ?`,
  );

  const list = (query: PageQuery): RecordPage => {
    const select = selectRecords(query.filter, {
      columns: query.bodies === false ? COLUMNS_WITHOUT_BODIES : 'r.*',
      order: query.order,
      cursor: query.cursor,
      limit: query.limit + 1,
      now: query.now ?? Date.now(),
    });
    return page(prepare(select.sql).all(...select.params) as RecordRow[], query.limit);
  };

  const get = (id: number): CapturedRecord | null => {
    const row = byId.get(id) as RecordRow | undefined;
    return row ? rowToRecord(row) : null;
  };

  return {
    list,
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
        const result = list({ filter, order, cursor, limit: ITERATE_PAGE, now });
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
      return page(merged.slice(0, limit), query.limit);
    },
  };
}
