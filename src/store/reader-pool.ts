import type { Worker } from 'node:worker_threads';
import type { StoreKey } from './cipher.js';
import type { LogReads, ReadMethod } from './log-reads.js';
import type { ReadAnswer, ReadCall, ReaderSettings } from './reader-protocol.js';
import { spawnWorker } from './spawn-worker.js';

interface Call {
  method: ReadMethod;
  args: unknown[];
  signal: AbortSignal | undefined;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Reader {
  worker: Worker;
  /** The call it is answering, or null when idle. */
  current: (Call & { id: number }) | null;
}

/** Reader threads by default: a long statistics query leaves another free for a search or a page. */
export const DEFAULT_READERS = 2;
const RESPAWN_DELAY_MS = 500;
/**
 * Readers run at the lowest priority: on a machine with few cores, a long query would otherwise take the
 * CPU the proxy's thread needs for the next message. Idle CPU is still theirs.
 */
export const READER_NICENESS = 19;

function aborted(): Error {
  return new DOMException('The read was cancelled: nobody waits for its answer any more.', 'AbortError');
}

/**
 * The store's heavy reads on reader threads (reader-entry.ts), one call per thread at a time, the rest
 * queued here: a queued read whose caller went away (its request was closed) is dropped before it runs. A
 * reader that dies fails its call and is started again; the pool never takes the gateway down.
 */
export class ReaderPool implements LogReads {
  readonly #settings: ReaderSettings;
  /** Readers ready for calls. */
  readonly #readers: Reader[] = [];
  /** Every reader thread, started or starting. */
  readonly #all = new Set<Worker>();
  readonly #queue: Call[] = [];
  readonly #log: (message: string) => void;
  #nextId = 1;
  #closed = false;

  private constructor(settings: ReaderSettings, log: (message: string) => void) {
    this.#settings = settings;
    this.#log = log;
  }

  /**
   * Starts the reader threads without waiting for them: the gateway serves at once, and reads asked for
   * before a reader is up wait in the queue for it.
   */
  static start(
    databasePath: string,
    options: {
      readers?: number;
      niceness?: number | null;
      log?: (message: string) => void;
      key?: StoreKey | null;
    } = {},
  ): ReaderPool {
    const niceness = options.niceness === null ? undefined : (options.niceness ?? READER_NICENESS);
    const pool = new ReaderPool(
      { databasePath, niceness, databaseKey: options.key ?? null },
      options.log ?? (() => {}),
    );
    for (let i = 0; i < (options.readers ?? DEFAULT_READERS); i++) pool.#spawn();
    return pool;
  }

  list: LogReads['list'] = (query, signal) => this.#call('list', [query], signal);
  count: LogReads['count'] = (filter, signal) => this.#call('count', [filter], signal);
  get: LogReads['get'] = (id, signal) => this.#call('get', [id], signal);
  partnerOf: LogReads['partnerOf'] = (record, signal) => this.#call('partnerOf', [record], signal);
  stats: LogReads['stats'] = (query, signal) => this.#call('stats', [query], signal);
  sessions: LogReads['sessions'] = (query, signal) => this.#call('sessions', [query], signal);
  session: LogReads['session'] = (sessionId, server, signal) =>
    this.#call('session', [sessionId, server], signal);
  timeline: LogReads['timeline'] = (query, signal) => this.#call('timeline', [query], signal);
  listText: LogReads['listText'] = (query, format, signal) => this.#call('listText', [query, format], signal);
  timelineText: LogReads['timelineText'] = (query, signal) => this.#call('timelineText', [query], signal);
  statsText: LogReads['statsText'] = (query, signal) => this.#call('statsText', [query], signal);
  recordText: LogReads['recordText'] = (id, signal) => this.#call('recordText', [id], signal);

  async close(): Promise<void> {
    this.#closed = true;
    for (const call of this.#queue.splice(0)) call.reject(new Error('The gateway is shutting down.'));
    await Promise.all([...this.#all].map((worker) => worker.terminate()));
  }

  #call<T>(method: ReadMethod, args: unknown[], signal: AbortSignal | undefined): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('The gateway is shutting down.'));
    if (signal?.aborted) return Promise.reject(aborted());
    if (this.#all.size === 0) {
      return Promise.reject(new Error("No reader thread is running: see the gateway's terminal output."));
    }
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ method, args, signal, resolve: resolve as (value: unknown) => void, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    for (const reader of this.#readers) {
      if (reader.current) continue;
      let call = this.#queue.shift();
      while (call?.signal?.aborted) {
        call.reject(aborted());
        call = this.#queue.shift();
      }
      if (!call) return;
      const id = this.#nextId++;
      reader.current = { ...call, id };
      reader.worker.postMessage({ id, method: call.method, args: call.args } satisfies ReadCall);
    }
  }

  #spawn(): void {
    const worker = spawnWorker(import.meta.url, 'reader-entry', { workerData: this.#settings });
    const reader: Reader = { worker, current: null };
    this.#all.add(worker);
    let started = false;
    worker.on('message', (message: ReadAnswer) => {
      if (message.type === 'ready') {
        started = true;
        this.#readers.push(reader);
        this.#dispatch();
        return;
      }
      const call = reader.current;
      if (!call || call.id !== message.id) return;
      reader.current = null;
      if (message.type === 'answer') call.resolve(message.value);
      else call.reject(new Error(message.message));
      this.#dispatch();
    });
    worker.on('error', (error) => {
      this.#log(`a reader thread failed: ${error.message}${started ? '; starting another' : ''}`);
    });
    worker.on('exit', () => {
      this.#all.delete(worker);
      const index = this.#readers.indexOf(reader);
      if (index !== -1) this.#readers.splice(index, 1);
      reader.current?.reject(new Error('The read failed: its reader thread stopped. Try again.'));
      reader.current = null;
      // One that never started (the database cannot be opened) is not retried in a loop.
      if (!this.#closed && started) {
        setTimeout(() => {
          if (!this.#closed) this.#spawn();
        }, RESPAWN_DELAY_MS).unref();
      }
      if (this.#all.size === 0) {
        for (const call of this.#queue.splice(0))
          call.reject(new Error("No reader thread is running: see the gateway's terminal output."));
      }
    });
  }
}
