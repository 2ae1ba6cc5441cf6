import type { CaptureEvent } from '../core/capture-events.js';
import type { RetentionSettings } from '../store/retention.js';
import type { StoreSpec } from '../store/store-spec.js';
import type { MetricsDelta } from '../telemetry/operation-tally.js';
import type { Peer, TelemetryCounts } from '../telemetry/otel-export.js';
import type { OtlpSettings } from '../telemetry/settings.js';
import type { Tally } from './listeners/tally.js';
import type { ToolListChanged } from './listeners/tool-drift.js';
import type { CapturePolicy } from './policy.js';

/** Messages between the capture queue (proxy thread) and the capture worker. */

export interface WorkerSettings {
  /** Where capture is stored: logs.db (its key, if any, structured-cloned, never logged) or PostgreSQL. */
  store: StoreSpec;
  /** This gateway's name on every record it writes to a shared (PostgreSQL) store; default: the host name. */
  instance?: string;
  maxMessageBytes: number;
  /** What capture redacts; absent: the default policy. */
  policy?: CapturePolicy;
  /** Pruning of old records, run by the worker between capture batches; absent: no pruning. */
  retention?: RetentionSettings;
  /** OTLP export of spans and metrics (docs/opentelemetry.md); absent or null: off. */
  otlp?: OtlpSettings | null;
  /** Where each HTTP server's upstream listens (server.address/port on client spans). */
  peers?: Record<string, Peer>;
}

export type ToWorker =
  | { type: 'events'; events: CaptureEvent[]; bytes: number }
  | { type: 'configure'; policy: CapturePolicy }
  | { type: 'peers'; peers: Record<string, Peer> }
  | { type: 'flush'; token: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | {
      type: 'ack';
      events: number;
      bytes: number;
      tally: Tally;
      storeFailures: number;
      /** Request counts and durations since the last ack, for /metrics; null when none. */
      metrics: MetricsDelta | null;
      /** Spans exported and dropped so far; null when OTLP export is off. */
      telemetry: TelemetryCounts | null;
    }
  | { type: 'flushed'; token: number }
  /** Span counts changed between batches (an export failed or finished while traffic was quiet). */
  | { type: 'telemetry'; telemetry: TelemetryCounts }
  | { type: 'problem'; message: string }
  /** The store stopped taking writes (why) or takes them again (null); records wait, then are dropped. */
  | { type: 'store-state'; error: string | null }
  | { type: 'tool-list-changed'; change: ToolListChanged }
  | { type: 'closed' };
