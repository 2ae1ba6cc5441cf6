import type { NewRecord } from '../core/record.js';
import type { SessionInfo } from '../core/session.js';
import type { Database } from './database.js';
import { isFailure } from './failure.js';
import { PendingRows, rowEntry, type StoredRequest } from './pending-rows.js';
import { RollupTally } from './rollup-tally.js';
import { RECORD_COLUMNS, recordToValues } from './rows.js';
import { searchText } from './search-text.js';
import { SummaryTally } from './summary-tally.js';

/**
 * What the capture pipeline writes through. SQLite implements it here; a shared store (PostgreSQL) can
 * implement the same interface.
 */
export interface RecordSink {
  /**
   * Runs `work` as one transaction: a batch of records costs one commit. Records inserted during `work`
   * get their ids at once and are written when it returns, together.
   */
  batch(work: () => void): void;
  /** Stores a record and indexes it for search; `parsed` is the message as capture parsed it, if it did. */
  insert(record: NewRecord, parsed?: unknown): number;
  /** Fills in what was learned after a request was stored: the HTTP status and session of its exchange. */
  completeRequest(id: number, httpStatus: number | null, sessionId: string | null): void;
  /** Names the server of a stored record that was written before the server named itself. */
  identify(id: number, serverName: string | null, serverVersion: string | null): void;
  saveSession(session: SessionInfo): void;
}

export class SqliteRecordSink implements RecordSink {
  readonly #insert;
  readonly #index;
  readonly #complete;
  readonly #before;
  readonly #session;
  readonly #identify;
  readonly #tally: SummaryTally;
  readonly #rollups: RollupTally;
  readonly #pending: PendingRows;
  readonly #batch;
  #batchDepth = 0;

  constructor(db: Database) {
    this.#insert = db.prepare(
      `INSERT INTO records (${RECORD_COLUMNS.join(', ')}) VALUES (${RECORD_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.#index = db.prepare('INSERT INTO records_fts (rowid, text) VALUES (?, ?)');
    this.#pending = new PendingRows(db);
    this.#batch = db.transaction((work: () => void) => {
      this.#pending.open();
      this.#batchDepth++;
      try {
        work();
      } finally {
        this.#batchDepth--;
      }
      this.#pending.write();
      this.#tally.flush();
      this.#rollups.flush();
    });
    this.#tally = new SummaryTally(db);
    this.#rollups = new RollupTally(db);
    this.#before = db.prepare(
      `SELECT server, session_id AS sessionId, method, kind, time, duration_ms AS durationMs, tokens,
        error_message AS errorMessage, http_status AS httpStatus, client_name AS clientName,
        client_version AS clientVersion, server_name AS serverName, server_version AS serverVersion,
        protocol_version AS protocolVersion
       FROM records WHERE id = ?`,
    );
    this.#complete = db.prepare(
      'UPDATE records SET http_status = ?, session_id = coalesce(session_id, ?) WHERE id = ?',
    );
    this.#identify = db.prepare(
      'UPDATE records SET server_name = coalesce(server_name, ?), server_version = coalesce(server_version, ?) WHERE id = ?',
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
    if (this.#batchDepth > 0) {
      work();
      return;
    }
    try {
      // IMMEDIATE: the write lock is held from the start, so the ids handed out stay ours (pending-rows.ts).
      this.#batch.immediate(work);
    } catch (error) {
      this.#pending.discard();
      throw error;
    }
  }

  insert(record: NewRecord, parsed?: unknown): number {
    return this.#store(recordToValues(record), searchText(record, parsed), record);
  }

  /**
   * Stores a record already turned into its column values (RECORD_COLUMNS order) and its search text, as
   * the capture worker hands them to the writer thread (writer-entry.ts).
   */
  insertRow(values: unknown[], text: string): number {
    return this.#store(values, text, rowEntry(values));
  }

  /** The id the next record inserted in the current batch will get; only inside `batch`. */
  nextId(): number {
    return this.#pending.nextId();
  }

  #store(values: unknown[], text: string, record: StoredRequest): number {
    let id: number;
    if (this.#batchDepth > 0) {
      id = this.#pending.add(values, text);
    } else {
      id = Number(this.#insert.run(values).lastInsertRowid);
      this.#index.run(id, text);
    }
    const failed = isFailure(record);
    this.#tally.add(record, failed);
    this.#rollups.add(record, failed);
    if (this.#batchDepth === 0) {
      this.#tally.flush();
      this.#rollups.flush();
    }
    return id;
  }

  completeRequest(id: number, httpStatus: number | null, sessionId: string | null): void {
    let before = this.#pending.request(id);
    if (before) {
      this.#pending.complete(id, httpStatus, sessionId);
    } else {
      before = this.#before.get(id) as StoredRequest | undefined;
      this.#complete.run(httpStatus, sessionId, id);
    }
    if (!before) return;
    const after = { ...before, httpStatus, sessionId: before.sessionId ?? sessionId };
    const failed = isFailure(after);
    this.#tally.correct(after, {
      failed,
      joinedSession: before.sessionId === null && after.sessionId !== null,
      errorDelta: Number(failed) - Number(isFailure(before)),
    });
    if (this.#batchDepth === 0) this.#tally.flush();
  }

  identify(id: number, serverName: string | null, serverVersion: string | null): void {
    if (this.#pending.identify(id, serverName, serverVersion)) return;
    this.#identify.run(serverName, serverVersion, id);
  }

  saveSession(session: SessionInfo): void {
    this.#session.run(session);
  }
}
