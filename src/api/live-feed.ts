import type { Role } from '../auth/roles.js';
import { type Scope, scopeFilter } from '../auth/scope.js';
import { type CapturedRecord, recordToJson, recordToSummaryJson } from '../core/record.js';
import { andFilters, type Filter } from '../filter/ast.js';
import type { AsyncLogStore } from '../store/log-store.js';
import type { LiveEvent, LiveRecord } from './live-events.js';
import { type Audience, visibleEvent } from './live-scope.js';

/**
 * How often the feed looks for new records while anyone is subscribed. The feed tails the store by its
 * commit order (`tail`; on SQLite by id, `WHERE id > cursor`, an index seek that costs microseconds when
 * nothing is new) rather than taking records from the capture worker: records written by another process
 * on the same storage dir (`mcp-gateway wrap`), imports and gateway notes all appear, and a record is only
 * ever announced once it is committed and readable through the API. The price is up to one interval of
 * latency.
 */
export const TAIL_INTERVAL_MS = 150;
/** Records sent per page; a subscriber far behind gets several pages per tick, up to a cap. */
const PAGE = 500;
const PAGES_PER_TICK = 4;
/**
 * Message bytes per page for subscribers of whole records: a tick reads, parses and sends at most a few
 * MB for each, so a run of large results slows that subscriber, never the proxy on the same thread.
 */
const PAGE_BYTES = 1024 * 1024;
/**
 * A client resuming from far back (Last-Event-ID, `since`) is replayed what it missed, however old: a
 * filtered view whose newest match is a day old resumes from it. Past this many replayed records while it
 * is still catching up, it is told it lagged and continues from the newest record instead (a browser
 * would not keep that many rows anyway).
 */
export const MAX_REPLAY = 10_000;
/** Events waiting on a client that does not read; past this, it is disconnected. */
const MAX_PENDING = 1_000;

export interface Subscriber {
  /** Resolves when the subscription ends (client gone, feed closed, client too slow). */
  readonly closed: Promise<void>;
  close(): void;
}

type Send = (event: LiveEvent, id?: string) => Promise<void>;

/**
 * What a subscriber gets for new records: the records whole, the records without message and headers
 * (lists of rows, which fetch a record whole when it is opened), or only how many arrived (`activity`).
 */
export type FeedMode = 'records' | 'summaries' | 'activity';

export interface SubscribeOptions {
  filter: Filter;
  /** The filter as the client wrote it, echoed in `hello`. */
  filterText: string;
  send: Send;
  mode: FeedMode;
  /** The last record id the client saw (Last-Event-ID), when it is reconnecting. */
  resumeFrom?: number;
  /** The servers the subscriber's token may see (null: all): its records and events are only theirs. */
  scope?: Scope;
  /** The subscriber's role: some broadcasts are for admins only (live-scope.ts). */
  role?: Role;
}

const SERIALIZE: Record<Exclude<FeedMode, 'activity'>, (record: CapturedRecord) => LiveRecord> = {
  records: recordToJson,
  summaries: recordToSummaryJson,
};

interface Subscription {
  filter: Filter;
  audience: Audience;
  mode: FeedMode;
  cursor: number;
  /** While resuming: the newest id when the client subscribed, and how many records it was replayed. */
  catchUpTo: number;
  replayed: number;
  /**
   * Records asked for per page. It shrinks when pages end early on PAGE_BYTES (large results: finding
   * 500 rows to send 2 would read all 500 of them) and grows back as they get small again.
   */
  pageLimit: number;
  send: Send;
  pending: number;
  end: () => void;
}

/**
 * What the feed reads: the newest position and the pages after one; and, on a store several gateways
 * write to, the ids of records that committed after the feed had moved past them (`late`, sent as they come).
 */
export type FeedSource = Pick<AsyncLogStore, 'lastId' | 'tail'> & { late?: () => Promise<number[]> };

export class LiveFeed {
  readonly #store: FeedSource;
  readonly #log: (message: string) => void;
  readonly #subscriptions = new Set<Subscription>();
  #timer: NodeJS.Timeout | null = null;
  /** The last failure to read the store, until a read succeeds again. */
  #problem: string | null = null;
  /** The tick under way: one at a time, a tick that finds one running is skipped. */
  #ticking: Promise<void> | null = null;

  /**
   * `store` answers the newest position in its commit order and the pages of records committed after a
   * position (`tail`): on SQLite, from the reader threads, so a subscriber with a costly filter never holds
   * up traffic; on a store with several writers, in commit order, so a record committed late is not lost.
   */
  constructor(store: FeedSource, log: (message: string) => void = () => {}) {
    this.#store = store;
    this.#log = log;
  }

  get subscribers(): number {
    return this.#subscriptions.size;
  }

  /**
   * Starts sending `filter`'s new records to `send`, from the newest record now, or from `resumeFrom`
   * (Last-Event-ID) when the client is reconnecting.
   */
  async subscribe({
    filter,
    filterText,
    send,
    mode,
    resumeFrom,
    scope = null,
    role = 'admin',
  }: SubscribeOptions): Promise<Subscriber> {
    const lastId = await this.#store.lastId();
    const cursor = resumeFrom !== undefined && resumeFrom <= lastId ? resumeFrom : lastId;
    let end = () => {};
    const closed = new Promise<void>((resolve) => {
      end = resolve;
    });
    const subscription: Subscription = {
      // The scope is one more term of the filter: every page read for this subscriber carries it.
      filter: scope === null ? filter : andFilters(filter, scopeFilter(scope)),
      audience: { scope, role },
      mode,
      cursor,
      catchUpTo: lastId,
      replayed: 0,
      pageLimit: PAGE,
      send,
      pending: 0,
      end: () => {},
    };
    subscription.end = () => {
      if (!this.#subscriptions.delete(subscription)) return;
      end();
      if (this.#subscriptions.size === 0) this.#stopTimer();
    };
    this.#subscriptions.add(subscription);
    this.#deliver(subscription, { type: 'hello', lastId: cursor, filter: filterText });
    this.#startTimer();
    // A resuming client gets what it missed at once rather than on the next tick.
    if (cursor < lastId) queueMicrotask(() => void this.tick());
    return { closed, close: subscription.end };
  }

  /** An event for every subscriber, whatever its filter (server health, registry changes). */
  broadcast(event: LiveEvent): void {
    for (const subscription of this.#subscriptions) {
      const visible = visibleEvent(event, subscription.audience);
      if (visible) this.#deliver(subscription, visible);
    }
  }

  /**
   * Looks for new records now (also called by the timer). A failed read ends the subscription that hit it
   * (its client reconnects and resumes from where it was) rather than the gateway.
   */
  tick(): Promise<void> {
    this.#ticking ??= this.#tickOnce().finally(() => {
      this.#ticking = null;
    });
    return this.#ticking;
  }

  async #tickOnce(): Promise<void> {
    if (this.#subscriptions.size === 0) return;
    let lastId: number;
    try {
      lastId = await this.#store.lastId();
    } catch (error) {
      // Said once per outage, not every tick: the feed catches up by itself when the store answers again.
      const problem = `live feed: cannot read new records: ${(error as Error).message}`;
      if (problem !== this.#problem) this.#log(problem);
      this.#problem = problem;
      return;
    }
    if (this.#problem !== null) {
      this.#problem = null;
      this.#log('live feed: the store answers again; new records are being sent');
    }
    const late = await this.#late();
    await Promise.all(
      [...this.#subscriptions].map(async (subscription) => {
        try {
          if (late.length > 0) await this.#sendLate(subscription, late);
          await this.#advance(subscription, lastId);
        } catch (error) {
          this.#log(`live feed: a subscriber was disconnected: ${(error as Error).message}`);
          subscription.end();
        }
      }),
    );
  }

  async #advance(subscription: Subscription, lastId: number): Promise<void> {
    const { mode } = subscription;
    if (mode === 'activity' && subscription.filter.terms.length === 0 && !this.#store.late) {
      // Every new record matches, and on SQLite a position is a record id (one writer commits ids in order,
      // without gaps), so the count needs no read. Several writers leave gaps (ids passed over): they count.
      if (lastId > subscription.cursor) {
        const count = lastId - subscription.cursor;
        subscription.cursor = lastId;
        this.#deliver(subscription, { type: 'activity', count, lastId }, String(lastId));
      }
      return;
    }
    let count = 0;
    for (let pages = 0; pages < PAGES_PER_TICK && subscription.cursor < lastId; pages++) {
      const page = await this.#store.tail({
        filter: subscription.filter,
        after: subscription.cursor,
        through: lastId,
        limit: subscription.pageLimit,
        bodies: mode === 'records',
        maxBytes: PAGE_BYTES,
      });
      // The client may have gone while the page was read.
      if (!this.#subscriptions.has(subscription)) return;
      const cutShort = page.hasMore && page.records.length < subscription.pageLimit;
      subscription.pageLimit = cutShort
        ? Math.max(2, page.records.length * 2)
        : Math.min(PAGE, subscription.pageLimit * 2);
      subscription.cursor = page.cursor;
      if (page.records.length === 0) continue;
      if (this.#lagging(subscription, page.records.length, lastId)) return;
      if (mode === 'activity') {
        count += page.records.length;
      } else {
        const cursor = subscription.cursor;
        this.#deliver(
          subscription,
          { type: 'records', records: page.records.map(SERIALIZE[mode]), lastId: cursor },
          String(cursor),
        );
      }
    }
    if (count > 0) {
      const cursor = subscription.cursor;
      this.#deliver(subscription, { type: 'activity', count, lastId: cursor }, String(cursor));
    }
  }

  async #late(): Promise<number[]> {
    try {
      return (await this.#store.late?.()) ?? [];
    } catch (error) {
      this.#log(`live feed: cannot read late records: ${(error as Error).message}`);
      return [];
    }
  }

  /**
   * Records that committed after the subscriber's position had passed their ids (a gateway that wrote
   * them long after taking the ids): the ones matching its filter, read in one page over their id range.
   */
  async #sendLate(subscription: Subscription, ids: readonly number[]): Promise<void> {
    const wanted = new Set(ids.filter((id) => id <= subscription.cursor));
    if (wanted.size === 0) return;
    const first = Math.min(...wanted);
    const last = Math.max(...wanted);
    const page = await this.#store.tail({
      filter: subscription.filter,
      after: first - 1,
      through: last,
      limit: PAGE,
      bodies: subscription.mode === 'records',
      maxBytes: PAGE_BYTES,
    });
    const records = page.records.filter((record) => wanted.has(record.id));
    if (records.length === 0 || !this.#subscriptions.has(subscription)) return;
    const cursor = subscription.cursor;
    this.#deliver(
      subscription,
      subscription.mode === 'activity'
        ? { type: 'activity', count: records.length, lastId: cursor }
        : { type: 'records', records: records.map(SERIALIZE[subscription.mode]), lastId: cursor },
      String(cursor),
    );
  }

  /** True when a resuming client has been replayed enough and now skips to the newest record. */
  #lagging(subscription: Subscription, records: number, lastId: number): boolean {
    if (subscription.cursor >= subscription.catchUpTo) return false;
    subscription.replayed += records;
    if (subscription.replayed <= MAX_REPLAY) return false;
    this.#deliver(subscription, { type: 'lagged', skipped: lastId - subscription.cursor, lastId });
    subscription.cursor = lastId;
    return true;
  }

  close(): void {
    for (const subscription of [...this.#subscriptions]) subscription.end();
    this.#stopTimer();
  }

  #deliver(subscription: Subscription, event: LiveEvent, id?: string): void {
    if (subscription.pending >= MAX_PENDING) {
      subscription.end();
      return;
    }
    subscription.pending++;
    subscription.send(event, id).then(
      () => {
        subscription.pending--;
      },
      () => subscription.end(),
    );
  }

  #startTimer(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.tick(), TAIL_INTERVAL_MS);
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
