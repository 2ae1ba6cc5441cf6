import type pg from 'pg';
import { LZ4_COMPRESSION } from './compression.js';
import { RECORDS_STORAGE } from './migration-records-storage.js';
import { SEARCH_VECTOR_COLUMN } from './migration-search-vector.js';
import { READ_MIGRATIONS } from './migrations-reads.js';
import { SCHEMA_V1 } from './schema.js';
import { SUMMARY_TRIGGERS } from './summary-triggers.js';

/**
 * Numbered migrations of the PostgreSQL store; `schema_migrations` holds the versions applied. Append new
 * ones, never edit old ones: databases in the wild have run them.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: records, sessions, method totals, tool lists.
  SCHEMA_V1,
  // 2: deleting records (retention, a Clear) takes them off their session's and method's totals.
  SUMMARY_TRIGGERS,
  // 3: LZ4 for large values, where the server has it.
  LZ4_COMPRESSION,
  // 4, 5: free text and statistics rollups.
  ...READ_MIGRATIONS,
  // 6: the writer fills search_vector itself; search_text goes.
  SEARCH_VECTOR_COLUMN,
  // 7: a record stays whole in its row up to a page.
  RECORDS_STORAGE,
];

/** Any 64-bit number; the same on every gateway, so they wait for each other, and for nothing else. */
const MIGRATION_LOCK = 0x6d63_7067_7779; // "mcpgwy"

/**
 * Brings the store's schema up to date; several gateways starting at once do it one after the other, under
 * one transaction-scoped advisory lock (PostgreSQL docs, "Advisory Locks"): the first migrates, the others
 * then find nothing left to do. A store written by a newer gateway is refused, not half understood.
 * Returns the schema version.
 */
export async function migratePostgres(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)');
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    const current = rows[0]?.version ?? 0;
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new Error(
        `the PostgreSQL store was written by a newer MCP Gateway (schema ${current}, this one knows ${POSTGRES_MIGRATIONS.length}): upgrade mcp-gateway or use another --store`,
      );
    }
    for (let version = current; version < POSTGRES_MIGRATIONS.length; version++) {
      await client.query(POSTGRES_MIGRATIONS[version] as string);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
    }
    await client.query('COMMIT');
    return POSTGRES_MIGRATIONS.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
