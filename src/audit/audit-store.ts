import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreKey } from '../store/cipher.js';
import { type Database, openDatabase } from '../store/database.js';
import { type AuditEntry, sealEntry } from './audit-entry.js';
import type { AuditEvent } from './audit-trail.js';

/** The audit log lives beside logs.db but in its own file: retention, `clear` and imports never touch it. */
export const auditPath = (storageDir: string) => join(storageDir, 'audit.db');

/**
 * Append-only by construction: the triggers refuse UPDATE and DELETE, so no code path of the gateway can
 * change history by mistake; someone who drops them with sqlite3 is caught by the hash chain instead.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  actor TEXT,
  actor_kind TEXT,
  actor_role TEXT,
  source TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  outcome TEXT NOT NULL,
  detail TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_time ON audit(time);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

const COLUMNS = `seq, time, actor, actor_kind AS actorKind, actor_role AS actorRole, source, action, target,
  outcome, detail, prev_hash AS prevHash, hash`;

export interface AuditQuery {
  /** Exact actor name. */
  actor?: string;
  /** `server.` matches every server action; `server.add` only that one. */
  action?: string;
  target?: string;
  outcome?: string;
  /** ms since epoch, inclusive. */
  since?: number;
  until?: number;
  /** Entries after (asc) or before (desc) this seq. */
  cursor?: number;
  limit: number;
  order: 'asc' | 'desc';
}

export interface AuditPage {
  entries: AuditEntry[];
  hasMore: boolean;
}

/** Escapes LIKE's wildcards so an action prefix matches literally. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

export class AuditStore {
  readonly #db: Database;
  readonly #append: (event: AuditEvent, time: number) => AuditEntry;

  private constructor(db: Database) {
    this.#db = db;
    const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    const insert = db.prepare(
      `INSERT INTO audit (seq, time, actor, actor_kind, actor_role, source, action, target, outcome, detail,
        prev_hash, hash)
       VALUES (@seq, @time, @actor, @actorKind, @actorRole, @source, @action, @target, @outcome, @detail,
        @prevHash, @hash)`,
    );
    // IMMEDIATE: the last entry is read under the write lock, so a CLI appending to the same file while
    // the gateway runs chains after the gateway's entry, never beside it.
    const append = db.transaction((event: AuditEvent, time: number): AuditEntry => {
      const previous = last.get() as { seq: number; hash: string } | undefined;
      const entry = sealEntry(event, time, previous ?? null);
      insert.run(entry);
      return entry;
    });
    this.#append = (event, time) => append.immediate(event, time);
  }

  /** Opens (creating, mode 600) `<storage>/audit.db`, encrypted with `key` when one is given. */
  static open(path: string, options: { key?: StoreKey | null; readonly?: boolean } = {}): AuditStore {
    const readonly = options.readonly ?? false;
    // SQLite gives -wal and -shm the mode of the database file, so all three are private from the start.
    if (!readonly && !existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    const db = openDatabase(path, { key: options.key ?? null, readonly });
    try {
      if (!readonly) db.exec(SCHEMA);
    } catch (error) {
      db.close();
      throw error;
    }
    return new AuditStore(db);
  }

  append(event: AuditEvent, time = Date.now()): AuditEntry {
    return this.#append(event, time);
  }

  query(q: AuditQuery): AuditPage {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (q.actor !== undefined) add('actor = ?', q.actor);
    if (q.action !== undefined) add("action LIKE ? ESCAPE '\\'", likePrefix(q.action));
    if (q.target !== undefined) add('target = ?', q.target);
    if (q.outcome !== undefined) add('outcome = ?', q.outcome);
    if (q.since !== undefined) add('time >= ?', q.since);
    if (q.until !== undefined) add('time <= ?', q.until);
    if (q.cursor !== undefined) add(q.order === 'asc' ? 'seq > ?' : 'seq < ?', q.cursor);
    const sql = `SELECT ${COLUMNS} FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY seq ${q.order === 'asc' ? 'ASC' : 'DESC'} LIMIT ?`;
    const rows = this.#db.prepare(sql).all(...params, q.limit + 1) as AuditEntry[];
    return { entries: rows.slice(0, q.limit), hasMore: rows.length > q.limit };
  }

  /** Every entry, oldest first, read a page at a time so memory stays bounded however long the log. */
  *all(pageSize = 1000): Generator<AuditEntry> {
    const page = this.#db.prepare(`SELECT ${COLUMNS} FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`);
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = page.all(after, pageSize) as AuditEntry[];
      yield* rows;
      if (rows.length < pageSize) return;
      after = (rows.at(-1) as AuditEntry).seq;
    }
  }

  close(): void {
    this.#db.close();
  }
}
