import type { SessionInfo } from '../core/session.js';
import type { RetentionSettings } from './retention.js';
import { RECORD_COLUMNS } from './rows.js';
import type { StoreSpec } from './store-spec.js';
import type { KnownToolList, NewToolChange } from './tool-lists.js';

/** Messages between the capture worker (writer-thread.ts) and the writer thread (writer-entry.ts). */

export interface WriterSettings {
  /** Where records go: logs.db (its key, when encrypted, is structured-cloned, never logged) or PostgreSQL. */
  store: StoreSpec;
  /** This gateway's name on every record it writes to a shared (PostgreSQL) store. */
  instance: string;
  /** Pruning of old SQLite records, run between batches on the writer's connection; absent: no pruning. */
  retention?: RetentionSettings;
}

/** Values a record takes in a batch's `rows`: its columns (RECORD_COLUMNS order), then its search text. */
export const ROW_WIDTH = RECORD_COLUMNS.length + 1;

/**
 * A change a batch makes besides inserting records. Records are referred to by the capture worker's
 * numbers (seq-ids.ts), in the ops and in a row's partner_id and linked_id.
 */
export type WriteOp =
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
  /**
   * One transaction. `rows`: its records, packed one after another (ROW_WIDTH values each) in one flat
   * array and numbered from `firstSeq` by their place: a structured clone of one array of strings and
   * numbers costs far less than one of an object and an array per record. `ops`: its other changes, in
   * the order capture made them; `positions[i]` is how many of the rows were inserted before `ops[i]`, so
   * the writer replays inserts and ops in capture's order.
   */
  | { type: 'batch'; firstSeq: number; rows: unknown[]; ops: WriteOp[]; positions: number[] }
  /** Answered once every batch sent before it was written (or failed). */
  | { type: 'sync'; token: number }
  | { type: 'close' };

export type FromWriter =
  /**
   * The store is open. `toolLists`: each server's last known tool list, read at start from a store the
   * capture worker cannot read synchronously (PostgreSQL); absent for SQLite, which it reads itself.
   */
  | { type: 'ready'; toolLists?: KnownToolList[] }
  /** Writing stopped working (`error`: why) or works again (null); batches wait meanwhile (PostgreSQL). */
  | { type: 'store-state'; error: string | null }
  /** The batches since the last sync: how many of their records were lost, and why (the last error). */
  | { type: 'synced'; token: number; lost: number; error: string | null }
  | { type: 'problem'; message: string }
  | { type: 'closed' };
