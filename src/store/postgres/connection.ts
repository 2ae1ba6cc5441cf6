import pg from 'pg';

/**
 * Connections to the PostgreSQL store. BIGINT (int8, OID 20) comes back from `pg` as a string by default,
 * since it can exceed 2^53; record ids and counts never will, and `rows.ts` expects numbers.
 */
pg.types.setTypeParser(20, Number);

/** The store's URL as a user may see it: user, host, port and database, never the password. */
export function describeStore(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    const port = parsed.port ? `:${parsed.port}` : '';
    return `${parsed.protocol}//${user}${parsed.hostname}${port}${parsed.pathname}`;
  } catch {
    return 'the configured PostgreSQL URL (it does not parse as a URL)';
  }
}

/** The error a user sees when the store cannot be reached: where, why, and what to check. */
export function unreachable(url: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message || (error as { code?: string }).code : String(error);
  return new Error(`cannot reach the PostgreSQL store at ${describeStore(url)}: ${reason}; check --store`, {
    cause: error,
  });
}

export interface PoolOptions {
  /** Connections at most (the writer needs one, reads a few). */
  max?: number;
  /** Shown in pg_stat_activity, so a DBA can tell the gateways apart. */
  applicationName?: string;
}

/** A pool for the store at `url`; connects lazily (see `checkPool` to fail early with a clear error). */
export function openPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'mcp-gateway',
    // A server that is down fails a connection attempt at once; one that does not answer (a dropped
    // packet, a firewall) fails it within this, so capture's retries keep moving.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server closed (a restart) emits 'error' on the pool; the next query opens a
  // fresh one, so it is not fatal, and unhandled it would end the process.
  pool.on('error', () => {});
  // So does a connection checked out but between two queries (a writer awaiting its next statement) when
  // the server goes away: its next query fails instead, which the caller handles (writer.ts retries).
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Opens one connection to prove the store is reachable, with the error naming the store when not. */
export async function checkPool(pool: pg.Pool, url: string): Promise<void> {
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    throw unreachable(url, error);
  }
}

/**
 * Whether a failed write may succeed if tried again: the connection broke or the server is starting,
 * stopping or out of connections (SQLSTATE classes 08, 57P and 53), the transaction lost a deadlock or a
 * serialization race to another gateway's (40P01, 40001), or no connection could be made at all (a socket
 * error, not the server's). Anything else (a constraint, a bad value) would fail the same way again.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof pg.DatabaseError)) return true;
  const code = error.code ?? '';
  return /^(08|57P|53|40P01|40001)/.test(code);
}
