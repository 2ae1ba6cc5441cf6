import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { CapturedRecord } from '../../../src/core/record.js';
import type { Database } from '../../../src/store/database.js';
import { openPool } from '../../../src/store/postgres/connection.js';
import { migratePostgres } from '../../../src/store/postgres/migrations.js';
import type { RecordSink } from '../../../src/store/record-writer.js';
import { type RecordRow, rowToRecord } from '../../../src/store/rows.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { makeRecord } from '../../helpers/records.js';

/** Databases of one PostgreSQL cluster for a test file: the cluster and every pool end with the file. */
export interface FileDatabases {
  /** A fresh database, migrated, with a pool on it. */
  migrated(): Promise<{ pool: pg.Pool; url: string }>;
  /** A fresh database, not migrated. */
  create(): Promise<string>;
  /** Another pool on `url`. */
  pool(url: string): pg.Pool;
}

/** Starts a throwaway cluster before the calling file's tests and stops it after them. */
export function postgresForFile(): FileDatabases {
  let server: TestPostgres;
  const pools: pg.Pool[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const pool of pools) await pool.end();
    await server?.stop();
  });
  const pool = (url: string) => {
    const opened = openPool(url);
    pools.push(opened);
    return opened;
  };
  const create = () => server.createDatabase();
  return {
    create,
    pool,
    async migrated() {
      const url = await create();
      const opened = pool(url);
      await migratePostgres(opened);
      return { pool: opened, url };
    },
  };
}

/** Every record of a PostgreSQL store, oldest first, read with plain SQL as rows.ts reads a row. */
export async function pgRecords(pool: pg.Pool): Promise<(CapturedRecord & { instance: string })[]> {
  const { rows } = await pool.query<RecordRow & { instance: string }>('SELECT * FROM records ORDER BY id');
  return rows.map((row) => ({ ...rowToRecord(row), instance: row.instance }));
}

export function sqliteRecords(db: Database): CapturedRecord[] {
  return (db.prepare('SELECT * FROM records ORDER BY id').all() as RecordRow[]).map(rowToRecord);
}

const SESSION_COLUMNS = `server, session_id, client_name, client_version, server_name, server_version,
  protocol_version, first_seen, last_seen, messages, errors`;
const METHOD_COLUMNS = 'server, method, messages, requests, errors, timed, duration_total, tokens, last_seen';

/** The running totals, in a stable order, as plain objects comparable across the two backends. */
export async function pgTotals(pool: pg.Pool) {
  const sessions = await pool.query(`SELECT ${SESSION_COLUMNS} FROM sessions ORDER BY server, session_id`);
  const methods = await pool.query(`SELECT ${METHOD_COLUMNS} FROM method_totals ORDER BY server, method`);
  return { sessions: sessions.rows, methods: methods.rows };
}

export function sqliteTotals(db: Database) {
  return {
    sessions: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions ORDER BY server, session_id`).all(),
    methods: db.prepare(`SELECT ${METHOD_COLUMNS} FROM method_totals ORDER BY server, method`).all(),
  };
}

/**
 * Capture's calls for a few exchanges, made through any sink (SQLite's or PostgreSQL's), in three batches:
 * an initialize whose session and server name arrive with its answer in the same batch, a tool call
 * answered with an HTTP 500 in the next batch (so completing it updates a stored row), a stderr line and
 * a notification with a NUL character in its text.
 */
export function captureScenario(sink: RecordSink, time = 1_700_000_000_000): void {
  let initialize = 0;
  let call = 0;
  sink.batch(() => {
    initialize = sink.insert(
      makeRecord({ time, method: 'initialize', sessionId: null, httpStatus: null, jsonrpcId: 0 }),
    );
    sink.insert(
      makeRecord({
        time: time + 5,
        direction: 'server_to_client',
        kind: 'response',
        method: 'initialize',
        sessionId: null,
        jsonrpcId: 0,
        durationMs: 5,
        partnerId: initialize,
        responseHeaders: { 'mcp-session-id': 'sess-1' },
      }),
    );
    sink.completeRequest(initialize, 200, 'sess-1');
    sink.identify(initialize, 'everything', '1.2.3');
    sink.saveSession({
      server: 'alpha',
      sessionId: 'sess-1',
      clientName: 'test-client',
      clientVersion: '1.0.0',
      serverName: 'everything',
      serverVersion: '1.2.3',
      protocolVersion: '2025-06-18',
      firstSeen: time,
    });
  });
  sink.batch(() => {
    call = sink.insert(
      makeRecord({
        time: time + 10,
        method: 'tools/call',
        sessionId: 'sess-1',
        jsonrpcId: 'a:b',
        tokens: 12,
      }),
    );
  });
  sink.batch(() => {
    sink.insert(
      makeRecord({
        time: time + 40,
        direction: 'server_to_client',
        kind: 'error',
        method: 'tools/call',
        sessionId: 'sess-1',
        jsonrpcId: 'a:b',
        durationMs: 30,
        errorCode: -32603,
        errorMessage: 'boom',
        partnerId: call,
        linkedId: call,
        linkKind: 'mrtr-retry',
      }),
    );
    sink.completeRequest(call, 500, null);
    sink.identify(call, 'everything', '1.2.3');
    sink.insert(
      makeRecord({ time: time + 50, kind: 'stderr', method: null, sessionId: null, message: 'warn\u0000x' }),
    );
  });
}

/** Waits until `check` passes (a background writer's effects), up to `ms`. */
export async function eventually(check: () => Promise<void> | void, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
