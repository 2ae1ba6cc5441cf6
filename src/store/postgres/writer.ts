import type pg from 'pg';
import { SeqIds } from '../seq-ids.js';
import { NumberingSink } from './capture-sink.js';
import { isTransient } from './connection.js';
import {
  type BatchOp,
  beginBatch,
  type CaptureBatch,
  executeBatch,
  insertCount,
  type PreparedBatch,
  prepareBatch,
} from './write-batch.js';

export interface PostgresWriterOptions {
  pool: pg.Pool;
  /** This gateway's name on every record it writes (several gateways share one database). */
  instance: string;
  /** Bytes of records waiting to be written at most; past it, new batches are dropped and counted. */
  maxQueuedBytes?: number;
  /** A write failed in a way that retrying will not fix, or the database went away or came back. */
  problem?: (message: string) => void;
}

export interface WriterStats {
  /** Records committed. */
  written: number;
  /** Records dropped because the queue was full (the database was down or too slow for too long). */
  dropped: number;
  /** Records of batches the database refused (an error that retrying would not fix). */
  lost: number;
  /** Records waiting to be written, and their approximate bytes. */
  queued: number;
  queuedBytes: number;
  /** The last error, cleared once a write succeeds. */
  lastError: string | null;
}

const DEFAULT_QUEUE_BYTES = 64 * 1024 * 1024;
/** Queued batches are written together up to this many records: one transaction, one round of statements. */
const MERGE_RECORDS = 2000;
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 2000;

/** Lets the event loop run: sends what is left of a COPY while the next batch is prepared. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Queued {
  batch: CaptureBatch;
  records: number;
  bytes: number;
  /** Ids taken for it (by its own attempt or the one before it): a retry reuses them (see `#attempt`). */
  ids?: number[];
  attempts?: number;
  /** Prepared while the batch before it was written, for its next attempt only (see `#attempt`). */
  prepared?: Promise<PreparedBatch>;
}

/** What was lost since the previous sync, as the SQLite writer thread reports it (../writer-thread.ts). */
export interface Written {
  /** Records dropped (the queue was full) or refused by the database. */
  lost: number;
  error: string | null;
}

/** In the queue: a batch to write, the place of a run of dropped batches, or a sync to answer. */
type Entry = Queued | { droppedFrom: number } | { synced: (written: Written) => void };

/** What a batch weighs in the queue: its strings' lengths, a fair stand-in for its bytes. */
function weigh(ops: readonly BatchOp[]): number {
  let bytes = 0;
  for (const op of ops) {
    if (op.op !== 'insert') {
      bytes += 64;
      continue;
    }
    bytes += op.text.length + 64;
    for (const value of op.values) bytes += typeof value === 'string' ? value.length : 8;
  }
  return bytes;
}

/**
 * Capture's sink into PostgreSQL. The capture pipeline calls it synchronously, as it calls SQLite's writer
 * thread: records are numbered as capture makes them (capture-sink.ts), each batch goes into a bounded
 * queue and is written in the background, one transaction at a time per batch (or per few queued batches),
 * the next batch prepared while the database writes the current one. The caller never waits for the
 * network. While the database is down, batches wait within the queue's bound and are retried with backoff;
 * past the bound, new batches are dropped and counted, and writing resumes by itself when it is back.
 */
export class PostgresRecordWriter extends NumberingSink {
  readonly #pool: pg.Pool;
  readonly #instance: string;
  readonly #maxBytes: number;
  readonly #problem: (message: string) => void;
  readonly #ids = new SeqIds();
  readonly #queue: Entry[] = [];
  /** `dropped + lost` and the last error at the previous sync. */
  #reported = 0;
  /** Why records were last dropped or lost (lastError clears once writing works again). */
  #lossReason = '';
  readonly #stats: WriterStats = {
    written: 0,
    dropped: 0,
    lost: 0,
    queued: 0,
    queuedBytes: 0,
    lastError: null,
  };
  /** Whether `#run` is writing the queue (one at a time, in order). */
  #running = false;
  #closed = false;
  #down = false;

  constructor(options: PostgresWriterOptions) {
    super();
    this.#pool = options.pool;
    this.#instance = options.instance;
    this.#maxBytes = options.maxQueuedBytes ?? DEFAULT_QUEUE_BYTES;
    this.#problem = options.problem ?? (() => {});
  }

  stats(): WriterStats {
    return { ...this.#stats };
  }

  /**
   * Queues a batch the capture worker assembled (numbered as `WriterThread` numbers them); returns at once.
   * A batch that does not fit in the queue is dropped and its records counted in `dropped`.
   */
  override write(batch: CaptureBatch): void {
    const records = insertCount(batch.ops);
    const bytes = weigh(batch.ops);
    if (this.#closed || this.#stats.queuedBytes + bytes > this.#maxBytes) {
      this.#stats.dropped += records;
      // Its numbers must map to no id, in order with the batches queued before it: a marker takes its place
      // (one for a run of dropped batches, so markers stay as few as the batches queued).
      const last = this.#queue[this.#queue.length - 1];
      if (records > 0 && !(last && 'droppedFrom' in last)) this.#queue.push({ droppedFrom: batch.firstSeq });
      this.#lossReason = `the queue of records waiting for PostgreSQL was full (${this.#stats.lastError ?? 'writing fell behind'})`;
      this.#drain();
      return;
    }
    this.#queue.push({ batch, records, bytes });
    this.#stats.queued += records;
    this.#stats.queuedBytes += bytes;
    this.#drain();
  }

  /**
   * Calls `done` once every batch queued before it was written or given up on, with the records lost since
   * the previous sync: the same contract as the SQLite writer thread's, so the capture worker frees its
   * queue's budget only for what is stored (or counted as lost).
   */
  sync(done: (written: Written) => void): void {
    this.#queue.push({ synced: done });
    this.#drain();
  }

  /** Resolves once everything queued so far was written or given up on. */
  flush(): Promise<void> {
    return new Promise((resolve) => this.sync(() => resolve()));
  }

  /** Stops taking batches, writes what is queued (while the database answers), and stops. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  #drain(): void {
    if (this.#running) return;
    this.#running = true;
    this.#run().catch((error: unknown) => {
      this.#running = false;
      this.#problem(`the PostgreSQL writer stopped: ${(error as Error).message}`);
    });
  }

  async #run(): Promise<void> {
    let wait = RETRY_FIRST_MS;
    for (;;) {
      const head = this.#queue[0];
      if (!head) {
        // Cleared in the same turn as the queue was found empty: a batch queued by whoever this run just
        // answered (a sync's caller) starts a new run rather than waiting behind one that is ending.
        this.#running = false;
        return;
      }
      if ('droppedFrom' in head) {
        this.#ids.lost(head.droppedFrom);
        this.#queue.shift();
        continue;
      }
      if ('synced' in head) {
        this.#queue.shift();
        this.#answer(head.synced);
        continue;
      }
      const item = this.#merge(0);
      const outcome = await this.#attempt(item);
      if (outcome === 'retry') {
        // Closing while the database is down gives up on what is left: it is counted, not waited for.
        if (this.#closed && wait >= RETRY_MAX_MS) {
          this.#running = false;
          this.#giveUp();
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, RETRY_MAX_MS);
        continue;
      }
      wait = RETRY_FIRST_MS;
      this.#queue.shift();
      this.#stats.queued -= item.records;
      this.#stats.queuedBytes -= item.bytes;
    }
  }

  /** Joins the batches from `at` on, up to MERGE_RECORDS records, into one (the first ones). */
  #merge(at: number): Queued {
    const first = this.#queue[at] as Queued;
    // Its ids are taken for exactly its records.
    if (first.ids) return first;
    let count = 1;
    let records = first.records;
    while (at + count < this.#queue.length) {
      const next = this.#queue[at + count] as Entry;
      if (!('batch' in next) || records + next.records > MERGE_RECORDS) break;
      records += next.records;
      count++;
    }
    if (count === 1) return first;
    const parts = this.#queue.splice(at, count) as Queued[];
    const merged: Queued = {
      batch: { firstSeq: first.batch.firstSeq, ops: parts.flatMap((part) => part.batch.ops) },
      records,
      bytes: parts.reduce((n, part) => n + part.bytes, 0),
    };
    this.#queue.splice(at, 0, merged);
    return merged;
  }

  /**
   * The batch to be written after the head's, to prepare while the head's is written: the next one
   * queued, past syncs (answered in order all the same), but not past dropped batches, whose numbers must
   * be marked lost before a later batch can map its links.
   */
  #upNext(): Queued | undefined {
    for (let at = 1; at < this.#queue.length; at++) {
      const entry = this.#queue[at] as Entry;
      if ('droppedFrom' in entry) return undefined;
      if ('batch' in entry) return this.#merge(at);
    }
    return undefined;
  }

  /**
   * Prepares `item` (write-batch.ts). Prepared while `before` is written, its links to `before`'s records
   * use the ids `before` is committing with; should `before` fail, that preparation is dropped.
   */
  #prepare(item: Queued, before?: Queued): Promise<PreparedBatch> {
    const earlier = (seq: number | null): number | null => {
      if (seq === null) return null;
      if (before?.ids) {
        const at = seq - before.batch.firstSeq;
        if (at >= 0 && at < before.records) return before.ids[at] ?? null;
      }
      return this.#ids.id(seq);
    };
    return prepareBatch(this.#instance, item.batch, item.ids ?? [], earlier, before && breathe);
  }

  /**
   * One transaction for `item`, on one connection, one at a time: a completion in a later batch finds the
   * record it completes committed. The batch after it is prepared while the server copies this one's rows
   * (the JavaScript and the server work side by side), so its ids are taken in this transaction's first
   * round trip, with this one's.
   */
  async #attempt(item: Queued): Promise<'done' | 'retry'> {
    let client: pg.PoolClient | undefined;
    const next = this.#upNext();
    try {
      item.attempts = (item.attempts ?? 0) + 1;
      client = await this.#pool.connect();
      // Ids are taken once: a retry after a commit whose answer was lost finds its rows already there
      // (a duplicate key on the same ids) instead of storing them twice under new ones. nextval is not
      // undone by a rollback, so the next batch's ids stay its own whatever becomes of this transaction;
      // they are used one transaction later, well within the live feed's wait for a gap (commit-horizon.ts).
      const own = item.ids ? 0 : item.records;
      const ahead = next && !next.ids ? next.records : 0;
      const taken = await beginBatch(client, own + ahead);
      item.ids ??= taken.slice(0, own);
      if (next) next.ids ??= taken.slice(own);
      const preparing = item.prepared ?? this.#prepare(item);
      item.prepared = undefined;
      const prepared = await preparing;
      await executeBatch(
        client,
        this.#instance,
        prepared,
        next &&
          (() => {
            next.prepared = this.#prepare(next, item);
            // Its failure (a value the database cannot hold) is its own attempt's to report.
            next.prepared.catch(() => {});
          }),
      );
      await client.query('COMMIT');
      client.release();
      this.#stored(item);
      return 'done';
    } catch (error) {
      if (next) next.prepared = undefined;
      if (client) {
        await client.query('ROLLBACK').catch(() => {});
        // A broken connection is not put back in the pool.
        client.release(isTransient(error) ? (error as Error) : undefined);
      }
      return this.#failed(item, error);
    }
  }

  #stored(item: Queued): void {
    const { firstSeq } = item.batch;
    const ids = item.ids ?? [];
    for (let i = 0; i < ids.length; i++) this.#ids.begin(firstSeq + i, ids[i] as number);
    this.#stats.written += item.records;
    this.#stats.lastError = null;
    if (this.#down) {
      this.#down = false;
      this.#problem('the PostgreSQL store answers again; capture is being written');
    }
  }

  #failed(item: Queued, error: unknown): 'done' | 'retry' {
    const message = (error as Error).message || String((error as { code?: string }).code ?? error);
    const duplicate = (error as { constraint?: string }).constraint === 'records_pkey';
    if ((item.attempts ?? 0) > 1 && duplicate) {
      // The earlier attempt committed; only its answer was lost.
      this.#stored(item);
      return 'done';
    }
    this.#stats.lastError = message;
    if (isTransient(error)) {
      if (!this.#down) {
        this.#down = true;
        this.#problem(
          `cannot write capture to the PostgreSQL store: ${message}; records wait in a queue of ${Math.round(this.#maxBytes / 2 ** 20)} MB, then are dropped and counted; writing resumes by itself once PostgreSQL answers (check that it runs and that --store points at it)`,
        );
      }
      return 'retry';
    }
    this.#ids.lost(item.batch.firstSeq);
    this.#stats.lost += item.records;
    this.#lossReason = message;
    this.#problem(`the PostgreSQL store refused ${item.records} records: ${message}`);
    return 'done';
  }

  #giveUp(): void {
    const entries = this.#queue.splice(0);
    this.#stats.queued = 0;
    this.#stats.queuedBytes = 0;
    this.#lossReason = `PostgreSQL was unreachable when capture stopped (${this.#stats.lastError})`;
    for (const entry of entries) {
      if ('batch' in entry) this.#stats.dropped += entry.records;
      if ('synced' in entry) this.#answer(entry.synced);
    }
  }

  #answer(done: (written: Written) => void): void {
    const total = this.#stats.dropped + this.#stats.lost;
    const lost = total - this.#reported;
    this.#reported = total;
    done({ lost, error: lost > 0 ? this.#lossReason : null });
  }
}
