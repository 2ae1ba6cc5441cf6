import type { Worker } from 'node:worker_threads';
import type { NewRecord } from '../core/record.js';
import type { SessionInfo } from '../core/session.js';
import { postgresSearchText } from './postgres/search-text.js';
import type { RecordSink } from './record-writer.js';
import { appendRecordValues } from './rows.js';
import { searchText } from './search-text.js';
import { spawnWorker } from './spawn-worker.js';
import type { KnownToolList } from './tool-lists.js';
import type { Written } from './writer-backend.js';
import type { FromWriter, ToWriter, WriteOp, WriterSettings } from './writer-protocol.js';

/** A batch being assembled (writer-protocol.ts has the packing). */
interface Batch {
  rows: unknown[];
  /** Records in `rows`. */
  count: number;
  ops: WriteOp[];
  positions: number[];
}

export type { Written } from './writer-backend.js';

/** What the writer thread tells besides syncs. */
export interface WriterEvents {
  /** A failure to report (the same one repeating is told once). */
  problem: (message: string) => void;
  /** Writing stopped working (why) or works again (null): a PostgreSQL store went away or came back. */
  storeState?: (error: string | null) => void;
}

/**
 * The writer's objects live for one batch, as the capture worker's do, and its young generation is sized
 * to hold one batch the same way (capture-queue.ts): 63 scavenges per 19,199 messages at 12 MB, 22 at 32.
 */
const WRITER_LIMITS = { maxYoungGenerationSizeMb: 32 };

/**
 * The capture worker's record sink: each batch's records, already turned into column values and search
 * text here, go to the writer thread (writer-entry.ts) in one message, and the capture worker goes on with
 * the next batch while SQLite stores this one. Records are numbered here (seq-ids.ts); `sync` says when
 * what was sent is stored.
 */
export class WriterThread implements RecordSink {
  readonly #worker: Worker;
  /** What each store indexes for search: FTS5's input text for SQLite, the tsvector for PostgreSQL. */
  readonly #searchText: (record: NewRecord, parsed?: unknown) => unknown;
  /** Each server's last known tool list, when the store had to read them for the capture worker. */
  readonly knownToolLists: KnownToolList[] | null;
  #batch: Batch | null = null;
  #firstSeq = 1;
  #nextSeq = 1;
  #token = 0;
  readonly #waiting = new Map<number, (written: Written) => void>();
  #closed: (() => void) | null = null;

  private constructor(
    worker: Worker,
    settings: WriterSettings,
    ready: Extract<FromWriter, { type: 'ready' }>,
    { problem, storeState }: WriterEvents,
  ) {
    this.#worker = worker;
    this.#searchText = settings.store.kind === 'postgres' ? postgresSearchText : searchText;
    this.knownToolLists = ready.toolLists ?? null;
    worker.on('message', (message: FromWriter) => {
      switch (message.type) {
        case 'synced':
          this.#waiting.get(message.token)?.({ lost: message.lost, error: message.error });
          this.#waiting.delete(message.token);
          break;
        case 'problem':
          problem(message.message);
          break;
        case 'store-state':
          storeState?.(message.error);
          break;
        case 'closed':
          this.#closed?.();
          break;
        default:
          break;
      }
    });
  }

  /** Starts the writer thread; resolves once it has opened the store, rejects when it cannot. */
  static start(settings: WriterSettings, events: WriterEvents): Promise<WriterThread> {
    const worker = spawnWorker(import.meta.url, 'writer-entry', {
      workerData: settings,
      resourceLimits: WRITER_LIMITS,
    });
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      // A problem found while opening the store (a damaged file set aside) is told before `ready`.
      const starting = (message: FromWriter) => {
        if (message.type === 'problem') events.problem(message.message);
        if (message.type !== 'ready') return;
        worker.off('error', reject);
        worker.off('message', starting);
        resolve(new WriterThread(worker, settings, message, events));
      };
      worker.on('message', starting);
    });
  }

  /** Errors of the thread itself (not of a write, which `sync` reports): it stopped. */
  onError(listener: (error: Error) => void): void {
    this.#worker.on('error', listener);
  }

  batch(work: () => void): void {
    if (this.#batch) {
      work();
      return;
    }
    const batch: Batch = { rows: [], count: 0, ops: [], positions: [] };
    this.#batch = batch;
    this.#firstSeq = this.#nextSeq;
    try {
      work();
    } finally {
      this.#batch = null;
      const { rows, ops, positions } = batch;
      if (batch.count > 0 || ops.length > 0) {
        this.#post({ type: 'batch', firstSeq: this.#firstSeq, rows, ops, positions });
      }
    }
  }

  insert(record: NewRecord, parsed?: unknown): number {
    const batch = this.#batch;
    if (!batch) {
      let seq = 0;
      this.batch(() => {
        seq = this.insert(record, parsed);
      });
      return seq;
    }
    const seq = this.#nextSeq++;
    appendRecordValues(batch.rows, record).push(this.#searchText(record, parsed));
    batch.count++;
    return seq;
  }

  completeRequest(seq: number, httpStatus: number | null, sessionId: string | null): void {
    this.#add({ op: 'complete', seq, httpStatus, sessionId });
  }

  identify(seq: number, serverName: string | null, serverVersion: string | null): void {
    this.#add({ op: 'identify', seq, serverName, serverVersion });
  }

  saveSession(session: SessionInfo): void {
    this.#add({ op: 'session', session });
  }

  /** Tool-list drift's writes (writer-tool-lists.ts), in the batch of the answer that showed the list. */
  toolLists(op: Extract<WriteOp, { op: 'tool-list' | 'tool-change' }>): void {
    this.#add(op);
  }

  #add(op: WriteOp): void {
    const batch = this.#batch;
    if (!batch) {
      this.batch(() => this.#add(op));
      return;
    }
    batch.ops.push(op);
    batch.positions.push(batch.count);
  }

  #post(message: ToWriter): void {
    this.#worker.postMessage(message);
  }

  /** Calls `done` once every batch sent so far is written, with what was lost. */
  sync(done: (written: Written) => void): void {
    const token = ++this.#token;
    this.#waiting.set(token, done);
    this.#post({ type: 'sync', token });
  }

  /** Writes what was sent, closes the database and stops the thread. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#closed = resolve;
      this.#worker.once('exit', () => resolve());
      this.#post({ type: 'close' });
    });
    await this.#worker.terminate();
  }
}
