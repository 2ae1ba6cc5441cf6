import type { SessionSummary } from './log-store.js';

/** A sessions row as either store returns it (the same columns on SQLite and PostgreSQL). */
export interface SessionRow {
  id: number;
  server: string;
  session_id: string;
  client_name: string | null;
  client_version: string | null;
  server_name: string | null;
  server_version: string | null;
  protocol_version: string | null;
  first_seen: number;
  last_seen: number | null;
  messages: number;
  errors: number;
}

export function toSession(row: SessionRow): SessionSummary {
  return {
    key: row.id,
    server: row.server,
    sessionId: row.session_id,
    clientName: row.client_name,
    clientVersion: row.client_version,
    serverName: row.server_name,
    serverVersion: row.server_version,
    protocolVersion: row.protocol_version,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    messages: row.messages,
    errors: row.errors,
  };
}

/**
 * A LIKE / ILIKE prefix pattern with the user's `%` and `_` kept literal (both stores escape with a backslash).
 * SQLite's LIKE folds ASCII case only and PostgreSQL's ILIKE every letter: these are autocomplete
 * suggestions, where the wider folding only helps.
 */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
