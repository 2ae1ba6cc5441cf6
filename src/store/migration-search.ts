import type { Database } from 'better-sqlite3';
import { isErrorSql } from './failure.js';
import { type SearchableRecord, searchText } from './search-text.js';

/**
 * Migration 2.
 *
 * records_fts: a contentless FTS5 index (the text lives in `records`; SQLite FTS5 docs, 4.4.3
 * "Contentless-Delete Tables"), so the search index costs no second copy of every payload. Rows are added
 * by the writer, which extracts the text in JavaScript (search-text.ts); they are removed by a trigger, so
 * that every way of deleting records (retention, clear, delete by filter) keeps the index exact.
 *
 * sessions and method_totals: running totals, so listing sessions, clients, methods and servers costs a
 * read of a small table however many records there are. The writer adds to them once per batch
 * (summary-tally.ts: per-row triggers would halve capture throughput); the delete trigger takes away.
 */
const SCHEMA = `
  CREATE VIRTUAL TABLE records_fts USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
  );
  -- Merge index segments in larger groups than the default 4 (SQLite FTS5 docs, "The 'automerge'
  -- Configuration Option"): capture writes about 15% faster at a million records; searches still meet
  -- their budget (bench/RESULTS.md).
  INSERT INTO records_fts (records_fts, rank) VALUES ('automerge', 8);

  CREATE TABLE sessions_v2 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    server TEXT NOT NULL,
    session_id TEXT NOT NULL,
    client_name TEXT,
    client_version TEXT,
    server_name TEXT,
    server_version TEXT,
    protocol_version TEXT,
    first_seen REAL NOT NULL,
    last_seen REAL,
    messages INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    UNIQUE (server, session_id)
  );
  INSERT INTO sessions_v2 (server, session_id, client_name, client_version, server_name, server_version,
    protocol_version, first_seen)
    SELECT server, session_id, client_name, client_version, server_name, server_version, protocol_version,
      first_seen FROM sessions ORDER BY first_seen;
  INSERT INTO sessions_v2 (server, session_id, client_name, client_version, server_name, server_version,
    first_seen, last_seen, messages, errors)
    SELECT server, session_id, max(client_name), max(client_version), max(server_name), max(server_version),
      min(time), max(time), count(*), sum(${isErrorSql('')})
    FROM records WHERE session_id IS NOT NULL GROUP BY server, session_id ORDER BY min(time)
    ON CONFLICT (server, session_id) DO UPDATE SET
      last_seen = excluded.last_seen, messages = excluded.messages, errors = excluded.errors;
  DROP TABLE sessions;
  ALTER TABLE sessions_v2 RENAME TO sessions;

  -- method is '' for records without one (stderr lines, HTML pages), so that the key is never NULL.
  CREATE TABLE method_totals (
    server TEXT NOT NULL,
    method TEXT NOT NULL,
    messages INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    timed INTEGER NOT NULL DEFAULT 0,
    duration_total REAL NOT NULL DEFAULT 0,
    tokens INTEGER NOT NULL DEFAULT 0,
    last_seen REAL,
    PRIMARY KEY (server, method)
  ) WITHOUT ROWID;
  INSERT INTO method_totals
    SELECT server, coalesce(method, ''), count(*), sum(kind = 'request'),
      sum(${isErrorSql('')}), count(duration_ms), coalesce(sum(duration_ms), 0),
      coalesce(sum(tokens), 0), max(time)
    FROM records GROUP BY server, coalesce(method, '');

  CREATE TRIGGER records_after_delete AFTER DELETE ON records BEGIN
    DELETE FROM records_fts WHERE rowid = old.id;
    UPDATE sessions SET messages = max(messages - 1, 0), errors = max(errors - ${isErrorSql('old.')}, 0)
      WHERE server = old.server AND session_id = old.session_id;
    UPDATE method_totals SET
      messages = max(messages - 1, 0),
      requests = max(requests - (old.kind = 'request'), 0),
      errors = max(errors - ${isErrorSql('old.')}, 0),
      timed = max(timed - (old.duration_ms IS NOT NULL), 0),
      duration_total = max(duration_total - coalesce(old.duration_ms, 0), 0),
      tokens = max(tokens - coalesce(old.tokens, 0), 0)
      WHERE server = old.server AND method = coalesce(old.method, '');
  END;
`;

const BACKFILL_BATCH = 1000;

export function searchIndexMigration(db: Database): void {
  db.exec(SCHEMA);
  const insert = db.prepare('INSERT INTO records_fts (rowid, text) VALUES (?, ?)');
  const page = db.prepare(
    `SELECT id, method, summary, error_message AS errorMessage, message, truncated
     FROM records WHERE id > ? ORDER BY id LIMIT ${BACKFILL_BATCH}`,
  );
  let after = 0;
  for (;;) {
    const rows = page.all(after) as (Omit<SearchableRecord, 'truncated'> & {
      id: number;
      truncated: number;
    })[];
    for (const row of rows) insert.run(row.id, searchText({ ...row, truncated: row.truncated === 1 }));
    const last = rows[rows.length - 1];
    if (!last) break;
    after = last.id;
  }
}
