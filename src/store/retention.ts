import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Database } from './database.js';
import { deleteIds, dropEmptySummaries, WRITE_BATCH } from './record-writes.js';

export interface RetentionSettings {
  /** Records older than this many days are deleted; 0 keeps them forever. */
  days: number;
  /** Past this many bytes of data in logs.db, the oldest records are deleted; 0 means no limit. */
  maxBytes: number;
}

export interface PruneResult {
  byAge: number;
  bySize: number;
}

/** How often the capture worker prunes, and how soon after it starts. */
export const RETENTION_INTERVAL_MS = 60_000;
export const RETENTION_FIRST_RUN_MS = 10_000;

/** Deleting down to this share of the limit leaves room, so pruning does not run again at once. */
const SIZE_TARGET = 0.9;

/**
 * Keeps logs.db bounded: deletes the oldest records, first those past the age limit, then more while the
 * data outgrows the size limit. It works in small transactions and yields between them, so the writer it
 * runs beside (the capture worker) gets the database between every batch.
 */
export class Retention {
  readonly #db: Database;
  readonly #settings: RetentionSettings;
  readonly #oldest;
  readonly #oldestBefore;
  readonly #count;
  #running = false;
  #stopped = false;

  constructor(db: Database, settings: RetentionSettings) {
    this.#db = db;
    this.#settings = settings;
    this.#oldest = db.prepare('SELECT id FROM records ORDER BY id LIMIT ?');
    this.#oldestBefore = db.prepare('SELECT id FROM records WHERE time < ? ORDER BY id LIMIT ?');
    this.#count = db.prepare('SELECT count(*) AS n FROM records');
  }

  get enabled(): boolean {
    return this.#settings.days > 0 || this.#settings.maxBytes > 0;
  }

  /** Bytes of pages in use (free pages are reused before the file grows, so they do not count). */
  usedBytes(): number {
    const pages = this.#db.pragma('page_count', { simple: true }) as number;
    const free = this.#db.pragma('freelist_count', { simple: true }) as number;
    const size = this.#db.pragma('page_size', { simple: true }) as number;
    return (pages - free) * size;
  }

  /** Ends a run in progress after its current batch (the database is about to close). */
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
        result.byAge = await this.#deleteWhile(() => this.#ids(this.#oldestBefore.all(cutoff, WRITE_BATCH)));
      }
      if (this.#stopped) return result;
      const used = this.#settings.maxBytes > 0 ? this.usedBytes() : 0;
      if (used > this.#settings.maxBytes && this.#settings.maxBytes > 0) {
        // Freed space shows only once whole pages empty, so the amount is estimated up front rather than
        // measured after each batch (which would overshoot); the next run trims whatever is left over.
        const count = (this.#count.get() as { n: number }).n;
        let left = Math.ceil((used - this.#settings.maxBytes * SIZE_TARGET) / (used / Math.max(count, 1)));
        result.bySize = await this.#deleteWhile(() => {
          const ids = left > 0 ? this.#ids(this.#oldest.all(Math.min(left, WRITE_BATCH))) : [];
          left -= ids.length;
          return ids;
        });
      }
      if (result.byAge + result.bySize > 0 && !this.#stopped) {
        dropEmptySummaries(this.#db);
        // Give freed pages back to the file system where the database allows it (new databases do).
        this.#db.pragma('incremental_vacuum');
        // Table statistics drift as data comes and goes; SQLite recommends this on long-lived connections.
        this.#db.pragma('optimize');
      }
    } finally {
      this.#running = false;
    }
    return result;
  }

  #ids(rows: unknown[]): number[] {
    return (rows as { id: number }[]).map((row) => row.id);
  }

  async #deleteWhile(next: () => number[]): Promise<number> {
    let deleted = 0;
    while (!this.#stopped) {
      const ids = next();
      if (ids.length === 0) return deleted;
      this.#db.transaction(() => deleteIds(this.#db, ids))();
      deleted += ids.length;
      await yieldToEventLoop();
    }
    return deleted;
  }
}
