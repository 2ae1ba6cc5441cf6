import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/filter/parser.js';
import { openDatabase } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
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
    // The columns of schema 1: the last ones came later (`redactions` with migration 4, the operation
    // links with 6).
    const later = new Set(['redactions', 'linked_id', 'link_kind', 'operation_ms']);
    const columns = RECORD_COLUMNS.filter((column) => !later.has(column));
    const insert = old.prepare(
      `INSERT INTO records (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const values = (record: ReturnType<typeof makeRecord>) => recordToValues(record).slice(0, columns.length);
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
      expect(found[0]).toMatchObject({ linkedId: null, linkKind: null, operationMs: null });
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
