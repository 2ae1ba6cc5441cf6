import type { NewRecord } from '../core/record.js';
import type { Database } from './database.js';
import { RECORD_COLUMNS, recordToValues } from './rows.js';

export interface SessionInfo {
  server: string;
  sessionId: string;
  clientName: string | null;
  clientVersion: string | null;
  serverName: string | null;
  serverVersion: string | null;
  protocolVersion: string | null;
  firstSeen: number;
}

/**
 * What the capture pipeline writes through. SQLite implements it here; a shared store (PostgreSQL) can
 * implement the same interface.
 */
export interface RecordSink {
  /** Runs `work` as one transaction: a batch of records costs one commit. */
  batch(work: () => void): void;
  insert(record: NewRecord): number;
  /** Fills in what was learned after a request was stored: the HTTP status and session of its exchange. */
  completeRequest(id: number, httpStatus: number | null, sessionId: string | null): void;
  saveSession(session: SessionInfo): void;
}

export class SqliteRecordSink implements RecordSink {
  readonly #db: Database;
  readonly #insert;
  readonly #complete;
  readonly #session;

  constructor(db: Database) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO records (${RECORD_COLUMNS.join(', ')}) VALUES (${RECORD_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.#complete = db.prepare(
      'UPDATE records SET http_status = ?, session_id = coalesce(session_id, ?) WHERE id = ?',
    );
    this.#session = db.prepare(`
      INSERT INTO sessions (server, session_id, client_name, client_version, server_name, server_version, protocol_version, first_seen)
      VALUES (@server, @sessionId, @clientName, @clientVersion, @serverName, @serverVersion, @protocolVersion, @firstSeen)
      ON CONFLICT (server, session_id) DO UPDATE SET
        client_name = coalesce(excluded.client_name, client_name),
        client_version = coalesce(excluded.client_version, client_version),
        server_name = coalesce(excluded.server_name, server_name),
        server_version = coalesce(excluded.server_version, server_version),
        protocol_version = coalesce(excluded.protocol_version, protocol_version)
    `);
  }

  batch(work: () => void): void {
    this.#db.transaction(work)();
  }

  insert(record: NewRecord): number {
    return Number(this.#insert.run(recordToValues(record)).lastInsertRowid);
  }

  completeRequest(id: number, httpStatus: number | null, sessionId: string | null): void {
    this.#complete.run(httpStatus, sessionId, id);
  }

  saveSession(session: SessionInfo): void {
    this.#session.run(session);
  }
}
