import type { Database } from './database.js';
import type {
  ClientSummary,
  LogStore,
  MethodSummary,
  ServerTotals,
  SessionQuery,
  ValueField,
} from './log-store.js';
import { prefixPattern, type SessionRow, toSession } from './session-rows.js';

/** Rows of the servers in `@servers` (a JSON array; null for all): how a token's server scope applies. */
const IN_SCOPE = '(@servers IS NULL OR server IN (SELECT value FROM json_each(@servers)))';

function scopeParam(servers: readonly string[] | undefined): string | null {
  return servers === undefined ? null : JSON.stringify(servers);
}

const VALUE_SQL: Readonly<Record<ValueField, string>> = {
  servers: `SELECT DISTINCT server AS value FROM method_totals WHERE server LIKE @prefix ESCAPE '\\'
    AND ${IN_SCOPE} ORDER BY 1 LIMIT @limit`,
  methods: `SELECT method AS value FROM method_totals WHERE method != '' AND method LIKE @prefix ESCAPE '\\'
    AND ${IN_SCOPE} GROUP BY method ORDER BY sum(messages) DESC LIMIT @limit`,
  clients: `SELECT client_name AS value FROM sessions WHERE client_name LIKE @prefix ESCAPE '\\'
    AND ${IN_SCOPE} GROUP BY client_name ORDER BY max(last_seen) DESC LIMIT @limit`,
  sessions: `SELECT session_id AS value FROM sessions WHERE session_id LIKE @prefix ESCAPE '\\'
    AND ${IN_SCOPE} ORDER BY id DESC LIMIT @limit`,
};

/**
 * Reading the summary tables that triggers keep (see migration-search.ts): sessions, clients, methods and
 * per-server totals cost a read of a small table, whatever the number of records.
 */
export function summaryQueries(
  db: Database,
): Pick<LogStore, 'sessions' | 'session' | 'clients' | 'methods' | 'serverTotals' | 'values'> {
  const sessionsPage = db.prepare(
    `SELECT * FROM sessions WHERE (@server IS NULL OR server = @server) AND ${IN_SCOPE}
       AND (@client IS NULL OR client_name = @client) AND (@cursor IS NULL OR id < @cursor) AND messages > 0
     ORDER BY id DESC LIMIT @limit`,
  );
  const sessionById = db.prepare(
    'SELECT * FROM sessions WHERE session_id = @session AND (@server IS NULL OR server = @server) ORDER BY id',
  );
  const clients = db.prepare(`
    SELECT client_name AS name, client_version AS version, group_concat(DISTINCT server) AS servers,
      count(*) AS sessions, sum(messages) AS messages, sum(errors) AS errors,
      min(first_seen) AS firstSeen, max(last_seen) AS lastSeen
    FROM sessions WHERE client_name IS NOT NULL AND messages > 0 AND ${IN_SCOPE}
    GROUP BY client_name, client_version ORDER BY max(last_seen) DESC`);
  const methods = db.prepare(`
    SELECT server, nullif(method, '') AS method, messages, requests, errors,
      CASE WHEN timed > 0 THEN duration_total / timed END AS avgDurationMs, tokens, last_seen AS lastSeen
    FROM method_totals WHERE (@server IS NULL OR server = @server) AND messages > 0
    ORDER BY messages DESC`);
  const servers = db.prepare(`
    SELECT m.server, sum(m.messages) AS messages, sum(m.errors) AS errors, max(m.last_seen) AS lastSeen,
      (SELECT count(*) FROM sessions s WHERE s.server = m.server AND s.messages > 0) AS sessions
    FROM method_totals m GROUP BY m.server HAVING sum(m.messages) > 0`);
  const valueStatements = new Map(
    Object.entries(VALUE_SQL).map(([field, sql]) => [field as ValueField, db.prepare(sql)]),
  );

  return {
    sessions(query: SessionQuery) {
      const rows = sessionsPage.all({
        server: query.server ?? null,
        servers: scopeParam(query.servers),
        client: query.client ?? null,
        cursor: query.cursor ?? null,
        limit: query.limit + 1,
      }) as SessionRow[];
      const hasMore = rows.length > query.limit;
      const sessions = (hasMore ? rows.slice(0, query.limit) : rows).map(toSession);
      const last = sessions[sessions.length - 1];
      return { sessions, hasMore, nextCursor: hasMore && last ? String(last.key) : null };
    },
    session: (sessionId, server) =>
      (sessionById.all({ session: sessionId, server: server ?? null }) as SessionRow[]).map(toSession),
    clients: (servers) =>
      (
        clients.all({ servers: scopeParam(servers) }) as (Omit<ClientSummary, 'servers'> & {
          servers: string;
        })[]
      ).map((row) => ({
        ...row,
        servers: row.servers.split(','),
      })),
    methods: (server) => methods.all({ server: server ?? null }) as MethodSummary[],
    serverTotals: () => servers.all() as ServerTotals[],
    values: (field, prefix, limit, servers) =>
      (
        (valueStatements
          .get(field)
          ?.all({ prefix: prefixPattern(prefix), limit, servers: scopeParam(servers) }) ?? []) as {
          value: string;
        }[]
      ).map((r) => r.value),
  };
}
