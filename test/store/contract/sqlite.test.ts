import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../src/store/database.js';
import type { AsyncLogStore, LogStore } from '../../../src/store/log-store.js';
import { SqliteRecordSink } from '../../../src/store/record-writer.js';
import { sqliteLogStore } from '../../../src/store/sqlite-log-store.js';
import { describeStoreContract } from './store-contract.js';

/** The synchronous SQLite store answered as promises, iterate included. */
function asAsync(store: LogStore): AsyncLogStore {
  return {
    list: async (query) => store.list(query),
    count: async (filter) => store.count(filter),
    get: async (id) => store.get(id),
    partnerOf: async (record) => store.partnerOf(record),
    lastId: async () => store.lastId(),
    async *iterate(filter, order) {
      yield* store.iterate(filter, order);
    },
    sessions: async (query) => store.sessions(query),
    session: async (sessionId, server) => store.session(sessionId, server),
    timeline: async (query) => store.timeline(query),
    clients: async (servers) => store.clients(servers),
    methods: async (server) => store.methods(server),
    serverTotals: async () => store.serverTotals(),
    values: async (field, prefix, limit, servers) => store.values(field, prefix, limit, servers),
    stats: async (query) => store.stats(query),
    importRecords: (records) => store.importRecords(records),
    deleteMatching: (filter) => store.deleteMatching(filter),
    appendNote: async (note) => store.appendNote(note),
  };
}

describeStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-contract-'));
  const db = openDatabase(join(dir, 'logs.db'), { migrate: true });
  const sink = new SqliteRecordSink(db);
  return {
    store: asAsync(sqliteLogStore(db)),
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
