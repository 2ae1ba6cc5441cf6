import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/filter/parser.js';
import { openDatabase } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { SqliteRecordSink } from '../../src/store/record-writer.js';
import { RECORD_COLUMNS, recordToValues } from '../../src/store/rows.js';
import { sqliteLogStore } from '../../src/store/sqlite-log-store.js';
import { makeRecord } from '../helpers/records.js';

describe('migrating a database written before search and summaries', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('indexes and summarizes the records already there', () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-migrate-'));
    const path = join(dir, 'logs.db');
    const old = new BetterSqlite3(path);
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    // The columns of schema 1: the last ones came later (`redactions` with migration 4, `protocol_version`
    // with 5, the operation links with 6, the time split with 7).
    const later = new Set([
      'redactions',
      'protocol_version',
      'linked_id',
      'link_kind',
      'operation_ms',
      'gateway_ms',
      'upstream_ms',
      'replay_of',
      'origin',
    ]);
    const columns = RECORD_COLUMNS.filter((column) => !later.has(column));
    const insert = old.prepare(
      `INSERT INTO records (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const values = (record: ReturnType<typeof makeRecord>) =>
      recordToValues(record).filter((_, i) =>
        columns.includes(RECORD_COLUMNS[i] as (typeof columns)[number]),
      );
    insert.run(values(makeRecord({ summary: 'legacy weather report', time: 100 })));
    insert.run(values(makeRecord({ kind: 'error', errorMessage: 'failed', time: 200 })));
    old
      .prepare(
        "INSERT INTO sessions (server, session_id, client_name, protocol_version, first_seen) VALUES ('alpha', 'session-1', 'test-client', '2025-06-18', 50)",
      )
      .run();
    old.close();

    const db = openDatabase(path, { migrate: true });
    try {
      const store = sqliteLogStore(db);
      const found = store.list({ filter: parseFilter('weather'), limit: 10, order: 'desc' }).records;
      expect(found).toHaveLength(1);
      // Records stored before redaction counts existed read as "nothing redacted".
      expect(found[0]?.redactions).toBe(0);
      expect(found[0]).toMatchObject({
        linkedId: null,
        linkKind: null,
        operationMs: null,
        gatewayMs: null,
        upstreamMs: null,
      });
      expect(store.session('session-1')).toEqual([
        expect.objectContaining({
          messages: 2,
          errors: 1,
          firstSeen: 50,
          lastSeen: 200,
          protocolVersion: '2025-06-18',
        }),
      ]);
      expect(store.methods()).toEqual([expect.objectContaining({ method: 'ping', messages: 2, errors: 1 })]);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
  });
});

describe('migration 5: the protocol version of each record', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the records of schema 4, reads their version as unknown, and stores and filters versions after', () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-migrate-'));
    const path = join(dir, 'logs.db');
    const old = new BetterSqlite3(path);
    for (const migration of MIGRATIONS.slice(0, 4)) {
      if (typeof migration === 'string') old.exec(migration);
      else migration(old);
    }
    old.pragma('user_version = 4');
    // Schema 4 has none of the later columns (`protocol_version` from 5, the operation links from 6, the
    // time split from 7).
    const later = new Set([
      'protocol_version',
      'linked_id',
      'link_kind',
      'operation_ms',
      'gateway_ms',
      'upstream_ms',
      'replay_of',
      'origin',
    ]);
    const columns = RECORD_COLUMNS.filter((column) => !later.has(column));
    old
      .prepare(`INSERT INTO records (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
      .run(...recordToValues(makeRecord({ summary: 'from schema 4', time: 100 })).slice(0, columns.length));
    old.close();

    const db = openDatabase(path, { migrate: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      const store = sqliteLogStore(db);
      const sink = new SqliteRecordSink(db);
      sink.insert(makeRecord({ summary: 'from schema 5', time: 200, protocolVersion: '2026-07-28' }));
      const all = store.list({ filter: parseFilter(''), limit: 10, order: 'asc' }).records;
      expect(all.map((r) => [r.summary, r.protocolVersion])).toEqual([
        ['from schema 4', null],
        ['from schema 5', '2026-07-28'],
      ]);
      const modern = store.list({ filter: parseFilter('protocol:2026-07-28'), limit: 10, order: 'asc' });
      expect(modern.records.map((r) => r.summary)).toEqual(['from schema 5']);
    } finally {
      db.close();
    }
  });
});

describe('migration 7: where an answered request’s time went', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the answers of schema 6, reads their split as not measured, and stores the split after', () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-migrate-'));
    const path = join(dir, 'logs.db');
    const old = new BetterSqlite3(path);
    for (const migration of MIGRATIONS.slice(0, 6)) {
      if (typeof migration === 'string') old.exec(migration);
      else migration(old);
    }
    old.pragma('user_version = 6');
    const later = new Set(['gateway_ms', 'upstream_ms', 'replay_of', 'origin']);
    const columns = RECORD_COLUMNS.filter((column) => !later.has(column));
    const answer = makeRecord({ kind: 'response', summary: 'from schema 6', time: 100, durationMs: 40 });
    answer.operationMs = 90;
    old
      .prepare(`INSERT INTO records (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
      .run(...recordToValues(answer).slice(0, columns.length));
    old.close();

    const db = openDatabase(path, { migrate: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      const store = sqliteLogStore(db);
      const sink = new SqliteRecordSink(db);
      const timed = makeRecord({ kind: 'response', summary: 'from schema 7', time: 200, durationMs: 301 });
      timed.gatewayMs = 0.42;
      timed.upstreamMs = 300.1;
      sink.insert(timed);
      const all = store.list({ filter: parseFilter(''), limit: 10, order: 'asc' }).records;
      expect(all.map((r) => [r.summary, r.operationMs, r.gatewayMs, r.upstreamMs])).toEqual([
        ['from schema 6', 90, null, null],
        ['from schema 7', null, 0.42, 300.1],
      ]);
    } finally {
      db.close();
    }
  });
});

describe('migration 8: replays and what the gateway did to a message', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the records of schema 7, reads them as sent, and stores replays and origins after', () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-migrate-'));
    const path = join(dir, 'logs.db');
    const old = new BetterSqlite3(path);
    for (const migration of MIGRATIONS.slice(0, 7)) {
      if (typeof migration === 'string') old.exec(migration);
      else migration(old);
    }
    old.pragma('user_version = 7');
    const later = new Set(['replay_of', 'origin']);
    const columns = RECORD_COLUMNS.filter((column) => !later.has(column));
    old
      .prepare(`INSERT INTO records (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
      .run(...recordToValues(makeRecord({ summary: 'from schema 7', time: 100 })).slice(0, columns.length));
    old.close();

    const db = openDatabase(path, { migrate: true });
    try {
      const store = sqliteLogStore(db);
      const sink = new SqliteRecordSink(db);
      const replay = makeRecord({ summary: 'a replay', time: 200 });
      replay.replayOf = 1;
      replay.origin = 'edited';
      sink.insert(replay);
      const all = store.list({ filter: parseFilter(''), limit: 10, order: 'asc' }).records;
      expect(all.map((r) => [r.summary, r.replayOf, r.origin])).toEqual([
        ['from schema 7', null, null],
        ['a replay', 1, 'edited'],
      ]);
    } finally {
      db.close();
    }
  });
});
