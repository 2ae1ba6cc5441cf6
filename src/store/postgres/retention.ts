import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type pg from 'pg';
import { WRITE_BATCH } from '../record-writes.js';
import {
  type PruneResult,
  RETENTION_FIRST_RUN_MS,
  RETENTION_INTERVAL_MS,
  type RetentionSettings,
} from '../retention.js';

/** Deleting down to this share of the limit leaves room, so pruning does not run again at once. */
const SIZE_TARGET = 0.9;

/**
 * Keeps the PostgreSQL store bounded by the same rules as SQLite's (../retention.ts): records past the age
 * limit go first, then the oldest while the data outgrows the size limit, WRITE_BATCH at a time in small
 * transactions; the delete trigger (summary-triggers.ts) takes them off the session and method totals.
 * Every gateway on the database may run it at once: rows another one is deleting are skipped, not waited for.
 */
export class PostgresRetention {
  readonly #pool: pg.Pool;
  readonly #settings: RetentionSettings;
  #running = false;
  #stopped = false;

  constructor(pool: pg.Pool, settings: RetentionSettings) {
    this.#pool = pool;
    this.#settings = settings;
  }

  get enabled(): boolean {
    return this.#settings.days > 0 || this.#settings.maxBytes > 0;
  }

  /**
   * Bytes the records take: their rows' stored size (compressed and out-of-line values included, as
   * pg_column_size counts them) averaged over the newest rows, times the rows, plus their indexes' share.
   * The table's file size would not do: PostgreSQL reuses the space of deleted rows but does not give it
   * back, so the file never shrinks below the limit and pruning would never stop.
   */
  async usedBytes(): Promise<number> {
    const { rows } = await this.#pool.query<{ rows: number; avg: number | null; ratio: number | null }>(`
      SELECT (SELECT count(*) FROM records) AS rows,
        (SELECT avg(pg_column_size(r.*)) FROM (SELECT * FROM records ORDER BY id DESC LIMIT 1000) r)::float8 AS avg,
        (pg_total_relation_size('records')::float8 / nullif(pg_table_size('records'), 0)) AS ratio`);
    const row = rows[0];
    if (!row || row.avg === null) return 0;
    return row.rows * row.avg * (row.ratio ?? 1);
  }

  stop(): void {
    this.#stopped = true;
  }

  async run(now = Date.now()): Promise<PruneResult> {
    const result: PruneResult = { byAge: 0, bySize: 0 };
    if (this.#running || this.#stopped || !this.enabled) return result;
    this.#running = true;
    try {
      if (this.#settings.days > 0) {
        const cutoff = now - this.#settings.days * 86_400_000;
        result.byAge = await this.#deleteWhile(() => this.#deleteOldest(WRITE_BATCH, cutoff));
      }
      const max = this.#settings.maxBytes;
      const used = max > 0 && !this.#stopped ? await this.usedBytes() : 0;
      if (max > 0 && used > max) {
        const { rows } = await this.#pool.query<{ n: number }>('SELECT count(*) AS n FROM records');
        const count = rows[0]?.n ?? 0;
        let left = Math.ceil((used - max * SIZE_TARGET) / (used / Math.max(count, 1)));
        result.bySize = await this.#deleteWhile(async () => {
          if (left <= 0) return 0;
          const deleted = await this.#deleteOldest(Math.min(left, WRITE_BATCH));
          left -= deleted;
          return deleted;
        });
      }
      if (result.byAge + result.bySize > 0 && !this.#stopped) {
        await this.#pool.query('DELETE FROM sessions WHERE messages <= 0');
        await this.#pool.query('DELETE FROM method_totals WHERE messages <= 0');
      }
    } finally {
      this.#running = false;
    }
    return result;
  }

  /** Deletes up to `limit` of the oldest records (older than `before`, when given); returns how many. */
  async #deleteOldest(limit: number, before?: number): Promise<number> {
    const result = await this.#pool.query(
      `DELETE FROM records WHERE id IN (
         SELECT id FROM records ${before === undefined ? '' : 'WHERE time < $2'}
         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)`,
      before === undefined ? [limit] : [limit, before],
    );
    return result.rowCount ?? 0;
  }

  async #deleteWhile(next: () => Promise<number>): Promise<number> {
    let deleted = 0;
    while (!this.#stopped) {
      const count = await next();
      if (count === 0) return deleted;
      deleted += count;
      await yieldToEventLoop();
    }
    return deleted;
  }
}

/**
 * Runs pruning on the same schedule as SQLite's writer thread (../writer-entry.ts): first soon after start,
 * then every minute; a failure is reported and the next run tries again. Returns a function that stops it.
 */
export function schedulePruning(
  retention: PostgresRetention,
  problem: (message: string) => void,
): () => void {
  if (!retention.enabled) return () => {};
  const prune = () =>
    retention
      .run()
      .catch((error: unknown) => problem(`pruning old records failed: ${(error as Error).message}`));
  const first = setTimeout(prune, RETENTION_FIRST_RUN_MS).unref();
  const every = setInterval(prune, RETENTION_INTERVAL_MS).unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
    retention.stop();
  };
}
