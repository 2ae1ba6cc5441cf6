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

/**
 * How long ids passed over are still watched for: a gateway whose connection broke mid-commit writes the
 * same ids again once it is back (writer.ts), and the feed then sends them late rather than never.
 */
export const LATE_WINDOW_MS = 10 * 60_000;
const LATE_CHECK_MS = 1000;
/** Ids watched at most (a refused batch of thousands never commits: its ids are not worth a large query). */
const MAX_WATCHED = 10_000;

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
  /** Ids passed over, and when: the ones that commit after all are handed out by `late()`. */
  readonly #watched = new Map<number, number>();
  #lateCheckedAt = Number.NEGATIVE_INFINITY;

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

  /**
   * Ids passed over as stale that have committed since (a writer that came back): the feed sends their
   * records late, below its position. Watched for LATE_WINDOW_MS; one index lookup when any are watched.
   */
  async late(): Promise<number[]> {
    const now = this.#clock();
    // Once a second is soon enough for a record that is already late.
    if (this.#watched.size === 0 || now - this.#lateCheckedAt < LATE_CHECK_MS) return [];
    this.#lateCheckedAt = now;
    for (const [id, since] of this.#watched) {
      if (now - since <= LATE_WINDOW_MS) break;
      this.#watched.delete(id);
    }
    const { rows } = await this.#pool.query<{ id: number }>(
      'SELECT id FROM records WHERE id = ANY($1::int8[]) ORDER BY id',
      [[...this.#watched.keys()]],
    );
    for (const { id } of rows) this.#watched.delete(id);
    return rows.map((row) => row.id);
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
      this.#watch(this.#horizon + 1, first.id - 1, now);
      this.#horizon = first.id - 1;
      this.#gapSince = null;
    }
  }

  #watch(from: number, to: number, now: number): void {
    for (let id = Math.max(from, to - MAX_WATCHED + 1); id <= to; id++) this.#watched.set(id, now);
    // Oldest first (insertion order): the ones past the cap go.
    for (const id of this.#watched.keys()) {
      if (this.#watched.size <= MAX_WATCHED) break;
      this.#watched.delete(id);
    }
  }
}
