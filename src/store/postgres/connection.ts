import pg from 'pg';

// BIGINT (int8, OID 20) arrives as a string by default, since it can exceed 2^53; record ids, counts and
// sums stay far below that, and rows.ts expects numbers, as SQLite gives them.
pg.types.setTypeParser(20, Number);
// NUMERIC (OID 1700): sum() of BIGINT columns; the same reasoning.
pg.types.setTypeParser(1700, Number);

/**
 * A pool of connections to the PostgreSQL store at `url`. An idle connection the server drops (a restart,
 * an administrator's pg_terminate_backend) is reported to `onIdleError` and replaced by the next query;
 * unhandled, node-postgres would emit it as an 'error' event nobody listens to and end the process.
 */
export function openPool(url: string, onIdleError: (error: Error) => void = () => {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url });
  pool.on('error', onIdleError);
  return pool;
}
