import type { Database } from './database.js';
import { RECORD_COLUMNS } from './rows.js';
import type { TallyEntry } from './summary-tally.js';

/** What `completeRequest` needs of a stored request: its tally entry, its error and its HTTP status. */
export type StoredRequest = TallyEntry & { errorMessage: string | null; httpStatus: number | null };

const column = (name: (typeof RECORD_COLUMNS)[number]) => RECORD_COLUMNS.indexOf(name);
const AT = {
  server: column('server'),
  sessionId: column('session_id'),
  method: column('method'),
  kind: column('kind'),
  time: column('time'),
  durationMs: column('duration_ms'),
  tokens: column('tokens'),
  errorMessage: column('error_message'),
  httpStatus: column('http_status'),
  clientName: column('client_name'),
  clientVersion: column('client_version'),
  serverName: column('server_name'),
  serverVersion: column('server_version'),
  protocolVersion: column('protocol_version'),
};

/** A row's values (RECORD_COLUMNS order) as the tallies and `completeRequest` read a stored request. */
export function rowEntry(v: readonly unknown[]): StoredRequest {
  return {
    server: v[AT.server] as string,
    sessionId: v[AT.sessionId] as string | null,
    method: v[AT.method] as string | null,
    kind: v[AT.kind] as string,
    time: v[AT.time] as number,
    durationMs: v[AT.durationMs] as number | null,
    tokens: v[AT.tokens] as number | null,
    errorMessage: v[AT.errorMessage] as string | null,
    httpStatus: v[AT.httpStatus] as number | null,
    clientName: v[AT.clientName] as string | null,
    clientVersion: v[AT.clientVersion] as string | null,
    serverName: v[AT.serverName] as string | null,
    serverVersion: v[AT.serverVersion] as string | null,
    protocolVersion: v[AT.protocolVersion] as string | null,
  };
}

/**
 * The records of one capture batch, held until the batch ends and then written in one run of inserts.
 * Writing them together, rather than one by one between the JavaScript work of parsing, redacting and
 * describing the next message, took a fifth off the capture worker's CPU time per message (10,000
 * exchanges of the benchmark traffic: 3.3 s before, 2.7 s after), as SQLite's pages, statements and the
 * FTS5 term buffer stay in the CPU's caches instead of being evicted by each message's JavaScript work.
 *
 * Ids are handed out here, so that capture can link a response to its request before either is written:
 * the batch's transaction is IMMEDIATE (it holds the write lock from its start), so no other connection
 * can take an id in between, and ids stay in commit order without gaps, as the live feed expects.
 */
export class PendingRows {
  readonly #lastId;
  readonly #insert;
  readonly #index;
  #firstId = 0;
  #rows: { values: unknown[]; text: string }[] = [];

  constructor(db: Database) {
    // AUTOINCREMENT: the next id is past both the highest id ever given (sqlite_sequence, which survives
    // pruning) and the highest in the table (SQLite docs, "SQLite Autoincrement").
    this.#lastId = db
      .prepare(
        `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'records'), 0),
          coalesce((SELECT max(id) FROM records), 0)) AS id`,
      )
      .pluck();
    this.#insert = db.prepare(
      `INSERT INTO records (id, ${RECORD_COLUMNS.join(', ')}) VALUES (?, ${RECORD_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.#index = db.prepare('INSERT INTO records_fts (rowid, text) VALUES (?, ?)');
  }

  /** Starts a batch; call inside its (immediate) transaction. */
  open(): void {
    this.#firstId = (this.#lastId.get() as number) + 1;
    this.#rows = [];
  }

  /** Holds a record (its column values, in RECORD_COLUMNS order) and its search text; returns its id. */
  add(values: unknown[], text: string): number {
    this.#rows.push({ values, text });
    return this.#firstId + this.#rows.length - 1;
  }

  /** The values of a record of this batch not written yet, or undefined. */
  #values(id: number): unknown[] | undefined {
    return this.#rows[id - this.#firstId]?.values;
  }

  /** The id the next record added gets. */
  nextId(): number {
    return this.#firstId + this.#rows.length;
  }

  /** A held request, as `completeRequest` would read it from the table; undefined when it is not held. */
  request(id: number): StoredRequest | undefined {
    const v = this.#values(id);
    return v ? rowEntry(v) : undefined;
  }

  /** The same change as record-writer's UPDATE of a written request; false when `id` is not held. */
  complete(id: number, httpStatus: number | null, sessionId: string | null): boolean {
    const v = this.#values(id);
    if (!v) return false;
    v[AT.httpStatus] = httpStatus;
    v[AT.sessionId] ??= sessionId;
    return true;
  }

  /** The same change as record-writer's UPDATE naming a written record's server; false when not held. */
  identify(id: number, serverName: string | null, serverVersion: string | null): boolean {
    const v = this.#values(id);
    if (!v) return false;
    v[AT.serverName] ??= serverName;
    v[AT.serverVersion] ??= serverVersion;
    return true;
  }

  /** Writes the held records, in id order; call inside the batch's transaction, before it commits. */
  write(): void {
    let id = this.#firstId;
    for (const { values, text } of this.#rows) {
      this.#insert.run(id, values);
      this.#index.run(id, text);
      id++;
    }
    this.#rows = [];
  }

  /** Forgets held records (their transaction was rolled back). */
  discard(): void {
    this.#rows = [];
  }
}
