import type { ReadMethod } from './log-reads.js';

/** Settings a reader thread starts with. */
export interface ReaderSettings {
  databasePath: string;
}

/** Main thread → reader: call one read. Arguments and answers are structured-cloned. */
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
