import type { StoreKey } from './cipher.js';
import type { ReadMethod } from './log-reads.js';

/** Settings a reader thread starts with. */
export interface ReaderSettings {
  databasePath: string;
  /** The thread's nice value (0 normal … 19 lowest), or undefined to leave it as the process's. */
  niceness?: number;
  /** The store's key, when logs.db is encrypted (structured-cloned to the thread, never logged). */
  databaseKey: StoreKey | null;
}

/**
 * Main thread → reader: call one read. Arguments and answers are structured-cloned, except the text a
 * `…Text` read answers with, whose buffer is transferred.
 */
export interface ReadCall {
  id: number;
  method: ReadMethod;
  args: unknown[];
}

/** Reader → main thread. */
export type ReadAnswer =
  | { type: 'ready' }
  | { type: 'answer'; id: number; value: unknown }
  | { type: 'failed'; id: number; message: string };
