import type { CaptureEvent } from '../core/capture-events.js';
import type { RetentionSettings } from '../store/retention.js';
import type { Tally } from './listeners/tally.js';

/** Messages between the capture queue (proxy thread) and the capture worker. */

export interface WorkerSettings {
  databasePath: string;
  maxMessageBytes: number;
  /** Pruning of old records, run by the worker between capture batches; absent: no pruning. */
  retention?: RetentionSettings;
}

export type ToWorker =
  | { type: 'events'; events: CaptureEvent[]; bytes: number }
  | { type: 'flush'; token: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'ack'; events: number; bytes: number; tally: Tally; storeFailures: number }
  | { type: 'flushed'; token: number }
  | { type: 'problem'; message: string }
  | { type: 'closed' };
