import type pg from 'pg';

/** Ids read per look: a feed far behind settles a few pages per tick, never the whole table at once. */
const PAGE = 10_000;
/**
 * How long a missing id may hold the horizon back. A writer's transaction takes its ids first and commits
 * a few milliseconds later, so a gap is nearly always an id about to commit; one still missing after this
 * was never going to (a batch the database refused, a transaction rolled back) and is passed over. The
 * same rule event stores on PostgreSQL use for their sequence "high water mark" (Marten's stale sequence
 * threshold, 3 s by default).
 */
export const STALE_GAP_MS = 3000;

export interface HorizonOptions {
  clock?: () => number;
  staleGapMs?: number;
}

/**
 * The live feed's position on a store several gateways write to. Ids come from one sequence, but each
 * writer commits its own batches, so id 7 may become visible after id 9: a feed reading `id > cursor`
 * from 9 would never see 7. The horizon is the highest id below which every id has committed (or was
 * given up on, see STALE_GAP_MS): the feed reads only up to it, so a record is never skipped because a
 * later id showed up first. `lastId()` advances it with one index-only read of the ids past it.
 */
export class CommitHorizon {
  readonly #pool: pg.Pool;
  readonly #clock: () => number;
  readonly #staleMs: number;
  #horizon = 0;
  /** When the id just past the horizon was first found missing with later ids present; null: no gap. */
  #gapSince: number | null = null;
  #reading: Promise<number> | null = null;

  private constructor(pool: pg.Pool, options: HorizonOptions) {
    this.#pool = pool;
    this.#clock = options.clock ?? Date.now;
    this.#staleMs = options.staleGapMs ?? STALE_GAP_MS;
  }

  /**
   * Starts at the newest id: what committed before the gateway started is history (the API's), not news.
   */
  static async start(pool: pg.Pool, options: HorizonOptions = {}): Promise<CommitHorizon> {
    const horizon = new CommitHorizon(pool, options);
    const { rows } = await pool.query<{ id: number | null }>('SELECT max(id) AS id FROM records');
    horizon.#horizon = rows[0]?.id ?? 0;
    return horizon;
  }

  /** The horizon after looking at what committed since; concurrent callers share one read. */
  lastId(): Promise<number> {
    this.#reading ??= this.#advance().finally(() => {
      this.#reading = null;
    });
    return this.#reading;
  }

  async #advance(): Promise<number> {
    for (;;) {
      const { rows } = await this.#pool.query<{ id: number }>(
        'SELECT id FROM records WHERE id > $1 ORDER BY id LIMIT $2',
        [this.#horizon, PAGE],
      );
      if (rows.length === 0) {
        this.#gapSince = null;
        return this.#horizon;
      }
      let next = this.#horizon;
      for (const { id } of rows) {
        if (id !== next + 1) break;
        next = id;
      }
      if (next > this.#horizon) this.#gapSince = null;
      this.#horizon = next;
      const first = rows.find((row) => row.id > next);
      if (!first) {
        if (rows.length < PAGE) return this.#horizon;
        continue;
      }
      // Ids missing before `first`: wait for them, up to the stale limit, then pass over them.
      const now = this.#clock();
      this.#gapSince ??= now;
      if (now - this.#gapSince < this.#staleMs) return this.#horizon;
      this.#horizon = first.id - 1;
      this.#gapSince = null;
    }
  }
}
