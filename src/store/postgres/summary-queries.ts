import type pg from 'pg';
import type {
  AsyncLogStore,
  ClientSummary,
  MethodSummary,
  ServerTotals,
  SessionQuery,
  ValueField,
} from '../log-store.js';
import { prefixPattern, type SessionRow, toSession } from '../session-rows.js';

/** Rows of the servers in `$n` (a text array; null for all): how a token's server scope applies. */
const inScope = (n: number) => `($${n}::text[] IS NULL OR server = ANY($${n}::text[]))`;

const VALUE_SQL: Readonly<Record<ValueField, string>> = {
  servers: `SELECT DISTINCT server AS value FROM method_totals WHERE server ILIKE $1 AND ${inScope(3)}
    ORDER BY 1 LIMIT $2`,
  methods: `SELECT method AS value FROM method_totals WHERE method <> '' AND method ILIKE $1 AND ${inScope(3)}
    GROUP BY method ORDER BY sum(messages) DESC LIMIT $2`,
  clients: `SELECT client_name AS value FROM sessions WHERE client_name ILIKE $1 AND ${inScope(3)}
    GROUP BY client_name ORDER BY max(last_seen) DESC NULLS LAST LIMIT $2`,
  sessions: `SELECT session_id AS value FROM sessions WHERE session_id ILIKE $1 AND ${inScope(3)}
    ORDER BY id DESC LIMIT $2`,
};

/**
 * Reading the summary tables the writer keeps (sessions, method_totals): sessions, clients, methods and
 * per-server totals cost a read of a small table, whatever the number of records.
 */
export function postgresSummaryQueries(
  pool: pg.Pool,
): Pick<AsyncLogStore, 'sessions' | 'session' | 'clients' | 'methods' | 'serverTotals' | 'values'> {
  return {
    async sessions(query: SessionQuery) {
      const { rows } = await pool.query<SessionRow>(
        `SELECT * FROM sessions WHERE ($1::text IS NULL OR server = $1) AND ${inScope(2)}
           AND ($3::text IS NULL OR client_name = $3) AND ($4::bigint IS NULL OR id < $4) AND messages > 0
         ORDER BY id DESC LIMIT $5`,
        [
          query.server ?? null,
          query.servers ?? null,
          query.client ?? null,
          query.cursor ?? null,
          query.limit + 1,
        ],
      );
      const hasMore = rows.length > query.limit;
      const sessions = (hasMore ? rows.slice(0, query.limit) : rows).map(toSession);
      const last = sessions[sessions.length - 1];
      return { sessions, hasMore, nextCursor: hasMore && last ? String(last.key) : null };
    },
    async session(sessionId, server) {
      const { rows } = await pool.query<SessionRow>(
        'SELECT * FROM sessions WHERE session_id = $1 AND ($2::text IS NULL OR server = $2) ORDER BY id',
        [sessionId, server ?? null],
      );
      return rows.map(toSession);
    },
    async clients(servers) {
      const { rows } = await pool.query<ClientSummary>(
        `SELECT client_name AS name, client_version AS version, array_agg(DISTINCT server) AS servers,
           count(*) AS sessions, sum(messages)::bigint AS messages, sum(errors)::bigint AS errors,
           min(first_seen) AS "firstSeen", max(last_seen) AS "lastSeen"
         FROM sessions WHERE client_name IS NOT NULL AND messages > 0 AND ${inScope(1)}
         GROUP BY client_name, client_version ORDER BY max(last_seen) DESC NULLS LAST`,
        [servers ?? null],
      );
      return rows;
    },
    async methods(server) {
      const { rows } = await pool.query<MethodSummary>(
        `SELECT server, nullif(method, '') AS method, messages, requests, errors,
           CASE WHEN timed > 0 THEN duration_total / timed END AS "avgDurationMs", tokens,
           last_seen AS "lastSeen"
         FROM method_totals WHERE ($1::text IS NULL OR server = $1) AND messages > 0 ORDER BY messages DESC`,
        [server ?? null],
      );
      return rows;
    },
    async serverTotals() {
      const { rows } = await pool.query<ServerTotals>(
        `SELECT m.server, sum(m.messages)::bigint AS messages, sum(m.errors)::bigint AS errors, max(m.last_seen) AS "lastSeen",
           (SELECT count(*) FROM sessions s WHERE s.server = m.server AND s.messages > 0) AS sessions
         FROM method_totals m GROUP BY m.server HAVING sum(m.messages) > 0`,
      );
      return rows;
    },
    async values(field, prefix, limit, servers) {
      const { rows } = await pool.query<{ value: string }>(VALUE_SQL[field], [
        prefixPattern(prefix),
        limit,
        servers ?? null,
      ]);
      return rows.map((row) => row.value);
    },
  };
}
