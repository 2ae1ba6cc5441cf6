import type pg from 'pg';
import type { ToolDefinition } from '../../diff/tool-list.js';
import {
  type KnownToolList,
  MAX_CHANGES_PER_SERVER,
  type NewToolChange,
  type ToolChange,
} from '../tool-lists.js';

/**
 * Each server's last known tool list and its changes, on PostgreSQL: the same rows and the same cap as
 * SQLite's (../tool-lists.ts). Writes run inside a capture batch's transaction (write-batch.ts), so a list
 * commits with the answer that showed it; reads are for the API and the management tools.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

export async function rememberToolList(db: Queryable, list: KnownToolList): Promise<void> {
  await db.query(
    `INSERT INTO tool_lists (server, hash, tools, record_id, seen_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (server) DO UPDATE SET hash = excluded.hash, tools = excluded.tools,
       record_id = excluded.record_id, seen_at = excluded.seen_at`,
    [list.server, list.hash, JSON.stringify(list.tools), list.recordId, list.seenAt],
  );
}

/** Stores a change and drops the server's oldest beyond the cap; returns its id. */
export async function addToolChange(db: Queryable, change: NewToolChange): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO tool_changes (server, time, session_id, record_id, previous_record_id, added, removed, changed, tools)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      change.server,
      change.timestamp,
      change.sessionId,
      change.recordId,
      change.previousRecordId,
      change.added,
      change.removed,
      change.changed,
      JSON.stringify({ drifts: change.tools, truncated: change.truncated }),
    ],
  );
  await db.query(
    `DELETE FROM tool_changes WHERE server = $1 AND id <= (
       SELECT id FROM tool_changes WHERE server = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`,
    [change.server, MAX_CHANGES_PER_SERVER],
  );
  return (rows[0] as { id: number }).id;
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
  const stored = JSON.parse(row.tools) as { drifts: ToolChange['tools']; truncated: boolean };
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

interface ToolListRow {
  server: string;
  hash: string;
  tools: string;
  recordId: number | null;
  seenAt: number;
}

const SELECT_TOOL_LISTS =
  'SELECT server, hash, tools, record_id AS "recordId", seen_at AS "seenAt" FROM tool_lists';

const toolListOf = (row: ToolListRow): KnownToolList => ({
  ...row,
  tools: JSON.parse(row.tools) as ToolDefinition[],
});

/** The reads of ToolListStore, asynchronous. */
export function postgresToolListReads(db: Queryable) {
  return {
    async known(server: string): Promise<KnownToolList | null> {
      const { rows } = await db.query<ToolListRow>(`${SELECT_TOOL_LISTS} WHERE server = $1`, [server]);
      const row = rows[0];
      return row ? toolListOf(row) : null;
    },
    async changes(server: string, limit: number, before?: number): Promise<ToolChange[]> {
      const { rows } = await db.query<ChangeRow>(
        before === undefined
          ? 'SELECT * FROM tool_changes WHERE server = $1 ORDER BY id DESC LIMIT $2'
          : 'SELECT * FROM tool_changes WHERE server = $1 AND id < $3 ORDER BY id DESC LIMIT $2',
        before === undefined ? [server, limit] : [server, limit, before],
      );
      return rows.map(rowToChange);
    },
    async count(server: string): Promise<number> {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*) AS n FROM tool_changes WHERE server = $1',
        [server],
      );
      return rows[0]?.n ?? 0;
    },
  };
}

/**
 * Every server's last known tool list: the capture worker compares tools/list answers against them and
 * cannot wait for a query per answer, so it reads them once at start and keeps its own since.
 */
export async function knownToolLists(db: Queryable): Promise<KnownToolList[]> {
  const { rows } = await db.query<ToolListRow>(SELECT_TOOL_LISTS);
  return rows.map(toolListOf);
}
