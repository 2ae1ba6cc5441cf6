import type { ToolDefinition, ToolDrift } from '../diff/tool-list.js';
import type { Database } from './database.js';

/**
 * Each server's last known tool list and the changes seen in it (migration 9). The capture worker writes
 * (capture/listeners/tool-drift.ts), the API and management tools read. A server that flaps its list
 * grows nothing without bound: one list per server, and its newest MAX_CHANGES_PER_SERVER changes.
 */

export const MAX_CHANGES_PER_SERVER = 100;

export interface KnownToolList {
  server: string;
  hash: string;
  tools: ToolDefinition[];
  /** The tools/list answer it was read from (it may since have been pruned). */
  recordId: number | null;
  seenAt: number;
}

/** One change of a server's tool list, as the API and the management tools give it. */
export interface ToolChange {
  id: number;
  server: string;
  time: string;
  timestamp: number;
  sessionId: string | null;
  /** The answer that showed the new list, and the one the previous list came from. */
  recordId: number | null;
  previousRecordId: number | null;
  added: number;
  removed: number;
  changed: number;
  tools: ToolDrift[];
  /** Not every changed tool, or not their whole definitions, were kept (tool-list.ts, MAX_CHANGE_BYTES). */
  truncated: boolean;
}

export type NewToolChange = Omit<ToolChange, 'id' | 'time'>;

export interface ToolListStore {
  known(server: string): KnownToolList | null;
  remember(list: KnownToolList): void;
  /** Stores a change and drops the server's oldest beyond the cap; returns its id. */
  addChange(change: NewToolChange): number;
  /** The server's changes, newest first, older than `before` (an id) when given. */
  changes(server: string, limit: number, before?: number): ToolChange[];
  /** How many changes are kept for the server. */
  count(server: string): number;
}

interface ChangeRow {
  id: number;
  server: string;
  time: number;
  session_id: string | null;
  record_id: number | null;
  previous_record_id: number | null;
  added: number;
  removed: number;
  changed: number;
  tools: string;
}

function rowToChange(row: ChangeRow): ToolChange {
  const stored = JSON.parse(row.tools) as { drifts: ToolDrift[]; truncated: boolean };
  return {
    id: row.id,
    server: row.server,
    time: new Date(row.time).toISOString(),
    timestamp: row.time,
    sessionId: row.session_id,
    recordId: row.record_id,
    previousRecordId: row.previous_record_id,
    added: row.added,
    removed: row.removed,
    changed: row.changed,
    tools: stored.drifts,
    truncated: stored.truncated,
  };
}

export function sqliteToolLists(db: Database): ToolListStore {
  const known = db.prepare(
    'SELECT server, hash, tools, record_id AS recordId, seen_at AS seenAt FROM tool_lists WHERE server = ?',
  );
  const remember = db.prepare(`
    INSERT INTO tool_lists (server, hash, tools, record_id, seen_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (server) DO UPDATE SET hash = excluded.hash, tools = excluded.tools,
      record_id = excluded.record_id, seen_at = excluded.seen_at`);
  const insert = db.prepare(`
    INSERT INTO tool_changes (server, time, session_id, record_id, previous_record_id, added, removed, changed, tools)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const prune = db.prepare(`
    DELETE FROM tool_changes WHERE server = ? AND id <= (
      SELECT id FROM tool_changes WHERE server = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`);
  const newest = db.prepare('SELECT * FROM tool_changes WHERE server = ? ORDER BY id DESC LIMIT ?');
  const older = db.prepare('SELECT * FROM tool_changes WHERE server = ? AND id < ? ORDER BY id DESC LIMIT ?');
  const count = db.prepare('SELECT count(*) AS n FROM tool_changes WHERE server = ?');
  return {
    known(server) {
      const row = known.get(server) as (Omit<KnownToolList, 'tools'> & { tools: string }) | undefined;
      return row ? { ...row, tools: JSON.parse(row.tools) as ToolDefinition[] } : null;
    },
    remember(list) {
      remember.run(list.server, list.hash, JSON.stringify(list.tools), list.recordId, list.seenAt);
    },
    addChange(change) {
      const id = Number(
        insert.run(
          change.server,
          change.timestamp,
          change.sessionId,
          change.recordId,
          change.previousRecordId,
          change.added,
          change.removed,
          change.changed,
          JSON.stringify({ drifts: change.tools, truncated: change.truncated }),
        ).lastInsertRowid,
      );
      prune.run(change.server, change.server, MAX_CHANGES_PER_SERVER);
      return id;
    },
    changes(server, limit, before) {
      const rows = (
        before === undefined ? newest.all(server, limit) : older.all(server, before, limit)
      ) as ChangeRow[];
      return rows.map(rowToChange);
    },
    count: (server) => (count.get(server) as { n: number }).n,
  };
}
