import type { CapturedRecord } from '../core/record.js';
import type { Database } from './database.js';
import { type RecordRow, rowToRecord } from './rows.js';

export interface LogQuery {
  server?: string;
  session?: string;
  method?: string;
  limit: number;
  order: 'asc' | 'desc';
  /** Keyset cursor: the id of the last record of the previous page. */
  cursor?: number;
}

export interface LogPage {
  records: CapturedRecord[];
  hasMore: boolean;
  nextCursor: string | null;
}

/**
 * Reads records for the API. Pages are keyed by record id (keyset pagination), never by offset or time:
 * records sharing a millisecond are neither skipped nor repeated, and deep pages cost what the first does.
 */
export class LogQueries {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  list(query: LogQuery): LogPage {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.server !== undefined) {
      where.push('server = ?');
      params.push(query.server);
    }
    if (query.session !== undefined) {
      where.push('session_id = ?');
      params.push(query.session);
    }
    if (query.method !== undefined) {
      where.push('method = ?');
      params.push(query.method);
    }
    if (query.cursor !== undefined) {
      where.push(query.order === 'desc' ? 'id < ?' : 'id > ?');
      params.push(query.cursor);
    }
    const sql = `SELECT * FROM records ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id ${query.order === 'desc' ? 'DESC' : 'ASC'} LIMIT ?`;
    params.push(query.limit + 1);
    const rows = this.#db.prepare(sql).all(...params) as RecordRow[];
    const hasMore = rows.length > query.limit;
    const records = (hasMore ? rows.slice(0, query.limit) : rows).map(rowToRecord);
    const last = records[records.length - 1];
    return { records, hasMore, nextCursor: hasMore && last ? String(last.id) : null };
  }

  get(id: number): CapturedRecord | null {
    const row = this.#db.prepare('SELECT * FROM records WHERE id = ?').get(id) as RecordRow | undefined;
    return row ? rowToRecord(row) : null;
  }

  count(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
  }
}
