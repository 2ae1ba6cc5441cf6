import type pg from 'pg';
import type { SessionInfo } from '../../core/session.js';
import type { SummaryDeltas } from '../summary-tally.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * A batch's running totals, written as one upsert for its sessions and one for its methods, with the same
 * arithmetic as SQLite's (../summary-tally.ts). Rows go in key order: two gateways updating the same
 * sessions lock them in the same order, so neither waits on the other in a circle (a deadlock).
 */
export async function writeTallies(db: Queryable, deltas: SummaryDeltas): Promise<void> {
  const sessions = [...deltas.sessions.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, d]) => d);
  if (sessions.length > 0) {
    await db.query(
      `INSERT INTO sessions (server, session_id, client_name, client_version, server_name, server_version,
         protocol_version, first_seen, last_seen, messages, errors)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::float8[], $9::float8[], $10::int8[], $11::int8[])
       ON CONFLICT (server, session_id) DO UPDATE SET
         messages = sessions.messages + excluded.messages,
         errors = sessions.errors + excluded.errors,
         first_seen = least(sessions.first_seen, excluded.first_seen),
         last_seen = greatest(coalesce(sessions.last_seen, excluded.last_seen), excluded.last_seen),
         client_name = coalesce(sessions.client_name, excluded.client_name),
         client_version = coalesce(sessions.client_version, excluded.client_version),
         server_name = coalesce(sessions.server_name, excluded.server_name),
         server_version = coalesce(sessions.server_version, excluded.server_version),
         protocol_version = coalesce(sessions.protocol_version, excluded.protocol_version)`,
      [
        sessions.map((d) => d.server),
        sessions.map((d) => d.session),
        sessions.map((d) => d.clientName),
        sessions.map((d) => d.clientVersion),
        sessions.map((d) => d.serverName),
        sessions.map((d) => d.serverVersion),
        sessions.map((d) => d.protocolVersion),
        sessions.map((d) => d.first),
        sessions.map((d) => d.last),
        sessions.map((d) => d.messages),
        sessions.map((d) => d.errors),
      ],
    );
  }
  const methods = [...deltas.methods.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, d]) => d);
  if (methods.length > 0) {
    await db.query(
      `INSERT INTO method_totals (server, method, messages, requests, errors, timed, duration_total, tokens, last_seen)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::int8[], $6::int8[], $7::float8[],
         $8::int8[], $9::float8[])
       ON CONFLICT (server, method) DO UPDATE SET
         messages = method_totals.messages + excluded.messages,
         requests = method_totals.requests + excluded.requests,
         errors = method_totals.errors + excluded.errors,
         timed = method_totals.timed + excluded.timed,
         duration_total = method_totals.duration_total + excluded.duration_total,
         tokens = method_totals.tokens + excluded.tokens,
         last_seen = greatest(coalesce(method_totals.last_seen, excluded.last_seen), excluded.last_seen)`,
      [
        methods.map((d) => d.server),
        methods.map((d) => d.method),
        methods.map((d) => d.messages),
        methods.map((d) => d.requests),
        methods.map((d) => d.errors),
        methods.map((d) => d.timed),
        methods.map((d) => d.durationTotal),
        methods.map((d) => d.tokens),
        methods.map((d) => d.last),
      ],
    );
  }
  deltas.clear();
}

/** A session as initialize described it: what it says now wins over what was known (../record-writer.ts). */
export async function saveSession(db: Queryable, session: SessionInfo): Promise<void> {
  await db.query(
    `INSERT INTO sessions (server, session_id, client_name, client_version, server_name, server_version,
       protocol_version, first_seen)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (server, session_id) DO UPDATE SET
       client_name = coalesce(excluded.client_name, sessions.client_name),
       client_version = coalesce(excluded.client_version, sessions.client_version),
       server_name = coalesce(excluded.server_name, sessions.server_name),
       server_version = coalesce(excluded.server_version, sessions.server_version),
       protocol_version = coalesce(excluded.protocol_version, sessions.protocol_version)`,
    [
      session.server,
      session.sessionId,
      session.clientName,
      session.clientVersion,
      session.serverName,
      session.serverVersion,
      session.protocolVersion,
      session.firstSeen,
    ],
  );
}
