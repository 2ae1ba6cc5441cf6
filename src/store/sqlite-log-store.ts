import type { Database } from './database.js';
import type { LogStore } from './log-store.js';
import { recordQueries } from './record-queries.js';
import { recordWrites } from './record-writes.js';
import { statsQuery } from './stats-query.js';
import { summaryQueries } from './summary-queries.js';

/**
 * The capture store on SQLite, for the gateway's main thread: reads for the API, the live feed and the
 * MCP tools, and the few writes users ask for (import, delete, notes). Captured traffic itself is written
 * by the capture worker through its own connection.
 */
export function sqliteLogStore(db: Database): LogStore {
  // Fresh statistics for the query planner on a long-lived connection (SQLite docs, "PRAGMA optimize").
  db.pragma('optimize = 0x10002');
  return {
    ...recordQueries(db),
    ...summaryQueries(db),
    ...statsQuery(db),
    ...recordWrites(db),
  };
}
