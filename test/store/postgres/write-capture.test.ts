import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Recorder } from '../../../src/capture/recorder.js';
import type { CaptureEvent } from '../../../src/core/capture-events.js';
import { ExchangeCapture } from '../../../src/proxy/exchange-capture.js';
import { openPool } from '../../../src/store/postgres/connection.js';
import { migratePostgres } from '../../../src/store/postgres/migrations.js';
import { PostgresRecordWriter } from '../../../src/store/postgres/writer.js';
import type { RecordSink } from '../../../src/store/record-writer.js';
import { SqliteRecordSink } from '../../../src/store/record-writer.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { openTestStore } from '../../helpers/records.js';
import { pgRecords, pgTotals, sqliteRecords, sqliteTotals } from './write-support.js';

let server: TestPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  server = await startPostgres();
  pool = openPool(await server.createDatabase());
  await migratePostgres(pool);
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The proxy's capture events for one HTTP exchange (Streamable HTTP, JSON answers). */
function exchange(
  events: CaptureEvent[],
  sessionId: string | null,
  request: unknown,
  answer: { status: number; body?: unknown; session?: string },
): void {
  const capture = new ExchangeCapture({ emit: (event) => events.push(event) > 0 }, 1 << 20);
  capture.start('everything', 'POST', sessionId, JSON_HEADERS, [], Buffer.from(JSON.stringify(request)));
  if (answer.body === undefined) {
    capture.responseStart(answer.status, {}, 'none', 'upstream');
  } else {
    const headers = answer.session ? { ...JSON_HEADERS, 'mcp-session-id': answer.session } : JSON_HEADERS;
    capture.responseStart(answer.status, headers, 'json', 'upstream');
    capture.chunk(new TextEncoder().encode(JSON.stringify(answer.body)));
  }
  capture.end(null);
}

/** A session as a client makes it: initialize, a tool call, a failing one, a notification, an HTTP error. */
function sessionEvents(): CaptureEvent[] {
  const events: CaptureEvent[] = [];
  const init = {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'inspector', version: '0.9' },
    },
  };
  const initResult = {
    jsonrpc: '2.0',
    id: 0,
    result: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      serverInfo: { name: 'everything', version: '2.0.0' },
    },
  };
  exchange(events, null, init, { status: 200, body: initResult, session: 's-9' });
  exchange(events, 's-9', { jsonrpc: '2.0', method: 'notifications/initialized' }, { status: 202 });
  exchange(
    events,
    's-9',
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'echo', arguments: { message: 'hi: there' } },
    },
    {
      status: 200,
      body: { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'Echo: hi: there' }] } },
    },
  );
  exchange(
    events,
    's-9',
    { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'nope', arguments: {} } },
    { status: 200, body: { jsonrpc: '2.0', id: 2, error: { code: -32602, message: 'Unknown tool: nope' } } },
  );
  exchange(
    events,
    's-9',
    { jsonrpc: '2.0', id: 3, method: 'ping' },
    { status: 503, body: { error: 'busy' } },
  );
  return events;
}

function record(sink: RecordSink, events: readonly CaptureEvent[]): void {
  const recorder = new Recorder({
    sink,
    maxMessageBytes: 1 << 20,
    onStoreFailure: (error) => {
      throw error;
    },
    onListenerError: (listener, error) => {
      throw new Error(`${listener}: ${(error as Error).message}`);
    },
  });
  // Two capture batches: the tool call's request is stored by the first, its HTTP answer comes in the second.
  recorder.record(events.slice(0, 8));
  recorder.record(events.slice(8));
}

describe('capture into PostgreSQL', () => {
  it('the real capture pipeline stores the same records and totals in PostgreSQL as in SQLite', async () => {
    const events = sessionEvents();
    const writer = new PostgresRecordWriter({ pool, instance: 'gw' });
    record(writer, events);
    await writer.flush();
    const sqlite = openTestStore();
    try {
      record(new SqliteRecordSink(sqlite.db), events);
      const expected = sqliteRecords(sqlite.db);
      expect(expected.length).toBeGreaterThanOrEqual(9);
      const stored = await pgRecords(pool);
      expect(stored.map(({ instance, ...rest }) => rest)).toEqual(expected);
      expect(writer.stats()).toMatchObject({ written: expected.length, dropped: 0, lost: 0 });
      // What a user sees of the session: named by initialize, its failures counted.
      expect(await pgTotals(pool)).toEqual(sqliteTotals(sqlite.db));
      expect((await pgTotals(pool)).sessions).toEqual([
        expect.objectContaining({ session_id: 's-9', client_name: 'inspector', server_name: 'everything' }),
      ]);
    } finally {
      sqlite.close();
    }
  });
});
