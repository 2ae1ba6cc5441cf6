import type { KnownToolList } from './tool-lists.js';
import type { ToWriter } from './writer-protocol.js';

export type WriterBatch = Extract<ToWriter, { type: 'batch' }>;

/** What the batches since the previous sync lost (their records were not stored), and the last reason. */
export interface Written {
  lost: number;
  error: string | null;
}

/**
 * The writer thread's store (writer-entry.ts): logs.db (sqlite-writer-backend.ts) or a shared PostgreSQL
 * database (postgres/writer-backend.ts). Both take the capture worker's batches as they are packed
 * (writer-protocol.ts) and answer syncs in order, so the capture worker frees its queue's budget only for
 * what was stored or counted as lost.
 */
export interface WriterBackend {
  /** Each server's last known tool list, for a store the capture worker cannot read itself. */
  readonly toolLists?: KnownToolList[];
  write(batch: WriterBatch): void;
  /** Calls `done` once every batch written before it was stored or given up on. */
  sync(done: (written: Written) => void): void;
  /** Why writing does not work now (the store is unreachable), or null; polled by the thread. */
  outage?(): string | null;
  /** Writes what was sent (within the store's own bound when it is down), then closes the store. */
  close(): Promise<void>;
}
