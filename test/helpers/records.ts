import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewRecord } from '../../src/core/record.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import type { LogStore } from '../../src/store/log-store.js';
import { SqliteRecordSink } from '../../src/store/record-writer.js';
import { sqliteLogStore } from '../../src/store/sqlite-log-store.js';

/** A record as capture would make it; override what the test is about. */
export function makeRecord(overrides: Partial<NewRecord> = {}): NewRecord {
  const message =
    overrides.message ??
    JSON.stringify({ jsonrpc: '2.0', id: 1, method: overrides.method ?? 'ping', params: {} });
  return {
    time: Date.now(),
    server: 'alpha',
    sessionId: 'session-1',
    direction: 'client_to_server',
    kind: 'request',
    jsonrpcId: 1,
    method: 'ping',
    httpMethod: 'POST',
    httpStatus: 200,
    transport: 'http-json',
    sseEventId: null,
    sseEventType: null,
    durationMs: null,
    clientName: 'test-client',
    clientVersion: '1.0.0',
    serverName: null,
    serverVersion: null,
    protocolVersion: null,
    userAgent: null,
    summary: overrides.method ?? 'ping',
    tokens: null,
    errorCode: null,
    errorMessage: null,
    size: Buffer.byteLength(message),
    truncated: false,
    requestHeaders: null,
    responseHeaders: null,
    partnerId: null,
    note: null,
    redactions: 0,
    linkedId: null,
    linkKind: null,
    operationMs: null,
    gatewayMs: null,
    upstreamMs: null,
    replayOf: null,
    origin: null,
    ...overrides,
    message,
  };
}

export interface TestStore {
  db: Database;
  store: LogStore;
  path: string;
  /** Writes records the way the capture worker does, in one transaction; returns their ids. */
  write(records: NewRecord[]): number[];
  close(): void;
}

/** A fresh logs.db in a temp dir, migrated, with the store over it. */
export function openTestStore(): TestStore {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-store-'));
  const path = join(dir, 'logs.db');
  const db = openDatabase(path, { migrate: true });
  const sink = new SqliteRecordSink(db);
  return {
    db,
    store: sqliteLogStore(db),
    path,
    write(records) {
      const ids: number[] = [];
      sink.batch(() => {
        for (const record of records) ids.push(sink.insert(record));
      });
      return ids;
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
