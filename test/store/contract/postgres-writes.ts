import type pg from 'pg';
import type { NewRecord } from '../../../src/core/record.js';
import { isFailure } from '../../../src/store/failure.js';
import { postgresSearchText } from '../../../src/store/postgres/search-text.js';
import { RECORD_COLUMNS, recordToValues } from '../../../src/store/rows.js';

/**
 * Records written into PostgreSQL with plain SQL, for the read side's tests: the row, its instance and
 * search text, and the sessions' and methods' running totals by the rules of store/summary-tally.ts.
 * Capture's own writer (postgres/writer.ts) batches and numbers records for the capture worker; the
 * suite writes its fixture one record at a time with links already resolved, which this does plainly.
 */
const COLUMNS = [...RECORD_COLUMNS, 'instance', 'search_vector'];
const INSERT = `INSERT INTO records (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`;

const UPSERT_SESSION = `
  INSERT INTO sessions (server, session_id, client_name, client_version, server_name, server_version,
    protocol_version, first_seen, last_seen, messages, errors)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1, $9)
  ON CONFLICT (server, session_id) DO UPDATE SET
    messages = sessions.messages + 1,
    errors = sessions.errors + excluded.errors,
    first_seen = least(sessions.first_seen, excluded.first_seen),
    last_seen = greatest(coalesce(sessions.last_seen, excluded.last_seen), excluded.last_seen),
    client_name = coalesce(sessions.client_name, excluded.client_name),
    client_version = coalesce(sessions.client_version, excluded.client_version),
    server_name = coalesce(sessions.server_name, excluded.server_name),
    server_version = coalesce(sessions.server_version, excluded.server_version),
    protocol_version = coalesce(sessions.protocol_version, excluded.protocol_version)`;

const UPSERT_METHOD = `
  INSERT INTO method_totals (server, method, messages, requests, errors, timed, duration_total, tokens, last_seen)
  VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (server, method) DO UPDATE SET
    messages = method_totals.messages + 1,
    requests = method_totals.requests + excluded.requests,
    errors = method_totals.errors + excluded.errors,
    timed = method_totals.timed + excluded.timed,
    duration_total = method_totals.duration_total + excluded.duration_total,
    tokens = method_totals.tokens + excluded.tokens,
    last_seen = greatest(coalesce(method_totals.last_seen, excluded.last_seen), excluded.last_seen)`;

export async function insertRecords(
  pool: pg.Pool,
  instance: string,
  records: NewRecord[],
): Promise<number[]> {
  const ids: number[] = [];
  for (const record of records) {
    const values = [...recordToValues(record), instance, postgresSearchText(record)];
    const { rows } = await pool.query<{ id: number }>(INSERT, values);
    ids.push(rows[0]?.id as number);
    const failed = isFailure(record) ? 1 : 0;
    if (record.sessionId !== null) {
      await pool.query(UPSERT_SESSION, [
        record.server,
        record.sessionId,
        record.clientName,
        record.clientVersion,
        record.serverName,
        record.serverVersion,
        record.protocolVersion,
        record.time,
        failed,
      ]);
    }
    await pool.query(UPSERT_METHOD, [
      record.server,
      record.method ?? '',
      record.kind === 'request' ? 1 : 0,
      failed,
      record.durationMs === null ? 0 : 1,
      record.durationMs ?? 0,
      record.tokens ?? 0,
      record.time,
    ]);
  }
  return ids;
}
