import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncStore } from '../../../src/store/async-store.js';
import { openDatabase } from '../../../src/store/database.js';
import { SqliteRecordSink } from '../../../src/store/record-writer.js';
import { sqliteLogStore } from '../../../src/store/sqlite-log-store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-contract-'));
  const db = openDatabase(join(dir, 'logs.db'), { migrate: true });
  const sink = new SqliteRecordSink(db);
  return {
    store: asyncStore(sqliteLogStore(db)),
    async write(records) {
      const ids: number[] = [];
      sink.batch(() => {
        for (const record of records) ids.push(sink.insert(record));
      });
      return ids;
    },
    async close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
    instance: null,
  };
});
