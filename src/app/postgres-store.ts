import type { FeedSource } from '../api/live-feed.js';
import type { RetentionConfig } from '../config/options.js';
import type { ToolChangeReads } from '../diff/tool-changes.js';
import type { LogReads } from '../store/log-reads.js';
import type { AsyncLogStore } from '../store/log-store.js';
import { CommitHorizon } from '../store/postgres/commit-horizon.js';
import { checkPool, describeStore, openPool } from '../store/postgres/connection.js';
import { importRecords } from '../store/postgres/import.js';
import { listenForRecords } from '../store/postgres/live.js';
import { migratePostgres } from '../store/postgres/migrations.js';
import { appendNote } from '../store/postgres/notes.js';
import { PostgresRetention, schedulePruning } from '../store/postgres/retention.js';
import { postgresLogStore } from '../store/postgres/store.js';
import { postgresToolListReads } from '../store/postgres/tool-lists.js';
import { reportingOutages } from './store-outage.js';

/** The main thread's view of a shared PostgreSQL store: reads, the user's writes, the live feed's source. */
export interface PostgresStore {
  /**
   * Its `lastId()` is the commit horizon (commit-horizon.ts), which the live feed follows, and `late()`
   * hands the feed records that committed after the horizon had passed their ids.
   */
  readonly store: AsyncLogStore & LogReads & Required<Pick<FeedSource, 'late'>>;
  readonly toolLists: ToolChangeReads;
  /** Calls `wake` whenever any gateway on the store commits records (and after a lost connection). */
  follow(wake: () => void): Promise<void>;
  close(): Promise<void>;
}

export interface PostgresStoreOptions {
  /** This gateway's name on the records it writes (imports, health notes). */
  instance: string;
  retention: RetentionConfig;
  warn: (message: string) => void;
}

/** A store that cannot be opened: the message names it (password left out) and says what to check. */
export class PostgresStoreError extends Error {
  override name = 'PostgresStoreError';
}

/**
 * Connects (one connection first, so a wrong URL fails at start with one clear line), brings the schema
 * up to date, and starts retention. Several gateways may do this at once: migrations take a lock.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions): Promise<PostgresStore> {
  const pool = openPool(url, { applicationName: `mcp-gateway ${options.instance}` });
  let horizon: CommitHorizon;
  try {
    await checkPool(pool, url);
    try {
      await migratePostgres(pool);
    } catch (error) {
      // 42501, insufficient_privilege (PostgreSQL docs, Appendix A): since PostgreSQL 15 only a database's
      // owner may create tables in its public schema unless granted.
      const denied = (error as { code?: string }).code === '42501';
      throw new PostgresStoreError(
        `cannot prepare the PostgreSQL store at ${describeStore(url)}: ${(error as Error).message}` +
          (denied
            ? '; the user in --store needs the right to create tables there (make it the database owner, or GRANT CREATE ON SCHEMA public)'
            : ''),
      );
    }
    horizon = await CommitHorizon.start(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error instanceof PostgresStoreError ? error : new PostgresStoreError((error as Error).message);
  }
  const records = postgresLogStore(pool, {
    instance: options.instance,
    writes: {
      importRecords: (input) => importRecords(pool, options.instance, input),
      appendNote: (note) => appendNote(pool, options.instance, note),
    },
  });
  // Every "newest position" is the horizon: a view that continues from one (the live view after a page of
  // /api/logs, a replay looking for its record) then misses no record that commits after it with a lower id.
  // Reads that find the database down answer 503 with what to check (store-outage.ts).
  const location = describeStore(url);
  const store = reportingOutages<PostgresStore['store']>(
    { ...records, lastId: () => horizon.lastId(), late: () => horizon.late() },
    location,
  );
  const stopPruning = schedulePruning(new PostgresRetention(pool, options.retention), options.warn);
  let stopListening: (() => Promise<void>) | null = null;
  return {
    store,
    toolLists: reportingOutages(postgresToolListReads(pool), location),
    async follow(wake) {
      stopListening = await listenForRecords(url, () => wake(), {
        onError: (error) =>
          options.warn(`live feed: lost its PostgreSQL connection (${error.message}); reconnecting`),
        // Commits made while it was away were not heard: the feed catches up from its position.
        onReconnected: wake,
      });
    },
    async close() {
      stopPruning();
      await stopListening?.();
      await pool.end().catch(() => {});
    },
  };
}
