import type { Database } from 'better-sqlite3';
import { rollupsMigration } from './migration-rollups.js';
import { searchIndexMigration } from './migration-search.js';

/** SQL to run, or a function for what SQL alone cannot do (filling the search index from JavaScript). */
export type Migration = string | ((db: Database) => void);

/**
 * Numbered migrations; `PRAGMA user_version` holds the last one applied. Append new ones, never edit old
 * ones: databases in the wild have run them.
 */
export const MIGRATIONS: readonly Migration[] = [
  // 1: captured records, sessions.
  `
  CREATE TABLE records (
    -- AUTOINCREMENT: ids are never reused after pruning, so cursors and links stay valid.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    server TEXT NOT NULL,
    session_id TEXT,
    direction TEXT NOT NULL,
    kind TEXT NOT NULL,
    jsonrpc_id TEXT,
    method TEXT,
    http_method TEXT,
    http_status INTEGER,
    transport TEXT NOT NULL,
    sse_event_id TEXT,
    sse_event_type TEXT,
    duration_ms REAL,
    client_name TEXT,
    client_version TEXT,
    server_name TEXT,
    server_version TEXT,
    user_agent TEXT,
    summary TEXT NOT NULL,
    tokens INTEGER,
    error_code INTEGER,
    error_message TEXT,
    message TEXT NOT NULL,
    size INTEGER NOT NULL,
    truncated INTEGER NOT NULL DEFAULT 0,
    request_headers TEXT,
    response_headers TEXT,
    partner_id INTEGER,
    note TEXT
  );
  CREATE INDEX records_server ON records (server, id);
  CREATE INDEX records_session ON records (session_id, id);
  CREATE INDEX records_method ON records (method, id);
  CREATE INDEX records_partner ON records (partner_id) WHERE partner_id IS NOT NULL;
  CREATE INDEX records_time ON records (time);
  CREATE TABLE sessions (
    server TEXT NOT NULL,
    session_id TEXT NOT NULL,
    client_name TEXT,
    client_version TEXT,
    server_name TEXT,
    server_version TEXT,
    protocol_version TEXT,
    first_seen REAL NOT NULL,
    PRIMARY KEY (server, session_id)
  );
  `,
  // 2: full-text search, per-session and per-method summaries, and the indexes the query API needs.
  searchIndexMigration,
  // 3: statistics rollups (per minute, 5 minutes and hour), so charts over days never read every record.
  rollupsMigration,
  // 4: how many values capture redacted in each record (shown with the record; 0 for older ones).
  'ALTER TABLE records ADD COLUMN redactions INTEGER NOT NULL DEFAULT 0;',
  // 5: the MCP protocol version each record was sent under (NULL for older records: it was not kept).
  'ALTER TABLE records ADD COLUMN protocol_version TEXT;',
  // 6: multi-round operations: the record a message continues (an MRTR retry's earlier round, a task's
  // creating request), and on an operation's last answer its total time. Needs nothing of migration 5.
  `
  ALTER TABLE records ADD COLUMN linked_id INTEGER;
  ALTER TABLE records ADD COLUMN link_kind TEXT;
  ALTER TABLE records ADD COLUMN operation_ms REAL;
  CREATE INDEX records_linked ON records (linked_id) WHERE linked_id IS NOT NULL;
  `,
  // 7: where an answered request's time went: the gateway's own part and the upstream's (NULL for older
  // records: it was not measured). Needs nothing of migrations 5 and 6.
  `
  ALTER TABLE records ADD COLUMN gateway_ms REAL;
  ALTER TABLE records ADD COLUMN upstream_ms REAL;
  `,
  // 8: what the gateway did to a message (replayed it, wrote it in a party's place, or a person edited it
  // at a breakpoint). NULL for traffic that went as sent, and for older records.
  `
  ALTER TABLE records ADD COLUMN replay_of INTEGER;
  ALTER TABLE records ADD COLUMN origin TEXT;
  CREATE INDEX records_replay_of ON records (replay_of) WHERE replay_of IS NOT NULL;
  `,
  // 9: tool-list drift (capture/listeners/tool-drift.ts): each server's last known tools/list answer, and
  // how it changed, newest kept per server (store/tool-lists.ts). Apart from records: clearing or pruning
  // traffic does not forget what a server's tools were.
  `
  CREATE TABLE tool_lists (
    server TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    tools TEXT NOT NULL,
    record_id INTEGER,
    seen_at REAL NOT NULL
  );
  CREATE TABLE tool_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    server TEXT NOT NULL,
    time REAL NOT NULL,
    session_id TEXT,
    record_id INTEGER,
    previous_record_id INTEGER,
    added INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    tools TEXT NOT NULL
  );
  CREATE INDEX tool_changes_server ON tool_changes (server, id);
  `,
];

export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `logs.db was written by a newer MCP Gateway (schema ${current}, this one knows ${MIGRATIONS.length}): upgrade mcp-gateway or use another --storage-dir`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    const migration = MIGRATIONS[version] as Migration;
    db.transaction(() => {
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return MIGRATIONS.length;
}
