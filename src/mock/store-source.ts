import { existsSync } from 'node:fs';
import type { StoreKey } from '../store/cipher.js';
import { type Database, openDatabase } from '../store/database.js';
import { recordQueries } from '../store/record-queries.js';
import { summaryQueries } from '../store/summary-queries.js';
import type { FixtureReads } from './collect.js';
import { FixtureError } from './fixture.js';

/**
 * logs.db opened read-only, for building a mock: it works whether or not a gateway runs on the storage
 * dir (in WAL mode a reader never waits for the capture writer, nor the writer for it), needs no token
 * and never changes the file. Records a running gateway has not flushed yet (its capture queue, a few
 * milliseconds) are not seen.
 */
export function openStoreReads(path: string, key: StoreKey | null): { reads: FixtureReads; close(): void } {
  if (!existsSync(path)) {
    throw new FixtureError(
      `no capture store at ${path}: record traffic through the gateway first, or pass --storage-dir (or a fixture file to --from)`,
    );
  }
  const db: Database = openDatabase(path, { readonly: true, key });
  const records = recordQueries(db);
  const summaries = summaryQueries(db);
  return {
    reads: {
      list: async (query) => records.list(query),
      timeline: async (query) => records.timeline(query),
      partnerOf: async (record) => records.partnerOf(record),
      session: async (sessionId, server) => summaries.session(sessionId, server),
    },
    close: () => db.close(),
  };
}
