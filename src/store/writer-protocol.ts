import type { SessionInfo } from '../core/session.js';
import type { StoreKey } from './cipher.js';
import type { RetentionSettings } from './retention.js';
import type { KnownToolList, NewToolChange } from './tool-lists.js';

/** Messages between the capture worker (writer-thread.ts) and the writer thread (writer-entry.ts). */

export interface WriterSettings {
  databasePath: string;
  /** The store's key, when logs.db is encrypted (structured-cloned to the thread, never logged). */
  databaseKey: StoreKey | null;
  /** Pruning of old records, run between batches on the writer's connection; absent: no pruning. */
  retention?: RetentionSettings;
}

/**
 * One change a batch makes, in the order capture made it. Records are referred to by the capture worker's
 * numbers (seq-ids.ts), in the ops and in a row's partner_id and linked_id.
 */
export type WriteOp =
  /** A record: its column values (RECORD_COLUMNS order) and its search text, numbered by its place. */
  | { op: 'insert'; values: unknown[]; text: string }
  | { op: 'complete'; seq: number; httpStatus: number | null; sessionId: string | null }
  | { op: 'identify'; seq: number; serverName: string | null; serverVersion: string | null }
  | { op: 'session'; session: SessionInfo }
  /** A server's tool list as last seen; its `recordId` is a capture number. */
  | { op: 'tool-list'; list: KnownToolList }
  /**
   * A change of a server's tool list; its `recordId` is a capture number, and so is `previousRecordId`
   * when `previousIsSeq` (the previous list was seen since the capture worker started).
   */
  | { op: 'tool-change'; change: NewToolChange; previousIsSeq: boolean };

export type ToWriter =
  /** One transaction; `firstSeq` is the number of its first insert (the next number when it has none). */
  | { type: 'batch'; firstSeq: number; ops: WriteOp[] }
  /** Answered once every batch sent before it was written (or failed). */
  | { type: 'sync'; token: number }
  | { type: 'close' };

export type FromWriter =
  | { type: 'ready' }
  /** The batches since the last sync: how many of their records were lost, and why (the last error). */
  | { type: 'synced'; token: number; lost: number; error: string | null }
  | { type: 'problem'; message: string }
  | { type: 'closed' };
