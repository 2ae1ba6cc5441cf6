import type { CaptureEvent } from '../core/capture-events.js';
import type { StoreKey } from '../store/cipher.js';
import type { RetentionSettings } from '../store/retention.js';
import type { Tally } from './listeners/tally.js';
import type { ToolListChanged } from './listeners/tool-drift.js';
import type { CapturePolicy } from './policy.js';

/** Messages between the capture queue (proxy thread) and the capture worker. */

export interface WorkerSettings {
  databasePath: string;
  /** The store's key, when logs.db is encrypted (structured-cloned to the worker, never logged). */
  databaseKey?: StoreKey | null;
  maxMessageBytes: number;
  /** What capture redacts; absent: the default policy. */
  policy?: CapturePolicy;
  /** Pruning of old records, run by the worker between capture batches; absent: no pruning. */
  retention?: RetentionSettings;
}

export type ToWorker =
  | { type: 'events'; events: CaptureEvent[]; bytes: number }
  | { type: 'configure'; policy: CapturePolicy }
  | { type: 'flush'; token: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'ack'; events: number; bytes: number; tally: Tally; storeFailures: number }
  | { type: 'flushed'; token: number }
  | { type: 'problem'; message: string }
  | { type: 'tool-list-changed'; change: ToolListChanged }
  | { type: 'closed' };
