import type { Worker } from 'node:worker_threads';
import type { CaptureEvent, CaptureSink } from '../core/capture-events.js';
import { spawnWorker } from '../store/spawn-worker.js';
import type { MetricsDelta } from '../telemetry/operation-tally.js';
import type { Peer, TelemetryCounts } from '../telemetry/otel-export.js';
import { emptyTally, type Tally } from './listeners/tally.js';
import type { ToolListChanged } from './listeners/tool-drift.js';
import type { CapturePolicy } from './policy.js';
import type { FromWorker, ToWorker, WorkerSettings } from './worker-protocol.js';

export interface CaptureQueueOptions extends WorkerSettings {
  /** Bytes of events that may wait for the worker; past this, new events are dropped and counted. */
  queueBytes: number;
  log: (message: string) => void;
  /** Request counts and durations the worker summed since its last acknowledgement (for /metrics). */
  onMetrics?: (delta: MetricsDelta) => void;
  /** A server's tools/list answer changed (capture/listeners/tool-drift.ts); the change is stored. */
  onToolListChanged?: (change: ToolListChanged) => void;
}

export interface CaptureStats {
  /** Messages stored. */
  captured: number;
  errors: number;
  byServer: Record<string, number>;
  /** Events the queue refused because the worker fell behind; the traffic itself was unaffected. */
  dropped: number;
  /** Records the worker could not write (disk full, locked database, PostgreSQL away past its queue). */
  storeFailures: number;
  /**
   * Why the store takes no writes now (PostgreSQL unreachable: records wait within the queue's bound, then
   * are dropped and counted), or null while writing works.
   */
  storeError: string | null;
  queuedBytes: number;
  queuedEvents: number;
  /** OTLP export: spans exported, dropped (queue full, collector unreachable) and queued; null when off. */
  telemetry: TelemetryCounts | null;
}

function emptyTelemetry(): TelemetryCounts {
  return { exported: 0, dropped: 0, queued: 0, metricExportFailures: 0 };
}

/**
 * The worker's objects live for one batch, so a young generation that holds a whole batch lets nearly all
 * of them die young and keeps its memory flat. 32 MB: a batch of the benchmark's traffic (bench/capture.ts)
 * is several MB of message text, search text and parsed values; at 12 MB each batch outlived about three
 * scavenges and was copied each time, and the worker scavenged 126 times per 19,199 messages (39 at 32 MB),
 * its collector's time down by about a quarter.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 32 };

/** Starts the capture worker (compiled, or from the TypeScript sources under the test suite). */
function startCaptureWorker(settings: WorkerSettings): Worker {
  return spawnWorker(import.meta.url, 'worker-entry', {
    workerData: settings,
    resourceLimits: WORKER_LIMITS,
  });
}

const DROP_REPORT_INTERVAL_MS = 10_000;
/**
 * Events are sent to the worker in batches: every BATCH_MS, or sooner once BATCH_EVENTS are waiting. One
 * message and one database transaction per batch is what keeps capture cheap under load.
 */
const BATCH_MS = 5;
const BATCH_EVENTS = 1024;

/**
 * The proxy's side of capture: a bounded queue in front of the capture worker. `emit` never blocks and
 * never throws; events are batched into one message to the worker every few milliseconds, which answers
 * with an acknowledgement that frees their budget.
 */
export class CaptureQueue implements CaptureSink {
  readonly #options: CaptureQueueOptions;
  #worker: Worker | null = null;
  #pending: CaptureEvent[] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | null = null;
  #outstandingBytes = 0;
  #outstandingEvents = 0;
  #dropped = 0;
  #reportedDrops = 0;
  #lastDropReport = 0;
  #tally: Tally = emptyTally();
  #storeFailures = 0;
  #storeError: string | null = null;
  #telemetry: TelemetryCounts | null = null;
  #flushToken = 0;
  readonly #flushWaiters = new Map<number, () => void>();
  #closing = false;

  #policy: CapturePolicy | undefined;

  constructor(options: CaptureQueueOptions) {
    this.#options = options;
    this.#policy = options.policy;
    this.#peers = options.peers ?? {};
  }

  /**
   * Sends a new policy to the worker. What was emitted before is sent first, so it is recorded under the
   * policy in effect when it was captured.
   */
  configure(policy: CapturePolicy): void {
    this.#policy = policy;
    this.#post();
    this.#worker?.postMessage({ type: 'configure', policy } satisfies ToWorker);
  }

  #peers: Record<string, Peer> = {};

  /** Where HTTP servers' upstreams listen (server.address/port on OTLP client spans), after a registry change. */
  setPeers(peers: Record<string, Peer>): void {
    this.#peers = peers;
    this.#worker?.postMessage({ type: 'peers', peers } satisfies ToWorker);
  }

  /** Starts the worker and resolves once it has opened the database. */
  start(): Promise<void> {
    const worker = startCaptureWorker({
      store: this.#options.store,
      ...(this.#options.instance ? { instance: this.#options.instance } : {}),
      maxMessageBytes: this.#options.maxMessageBytes,
      retention: this.#options.retention,
      otlp: this.#options.otlp ?? null,
      peers: this.#peers,
      ...(this.#policy ? { policy: this.#policy } : {}),
    });
    this.#worker = worker;
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          worker.off('error', reject);
          worker.on('error', (error) => this.#workerFailed(error));
          resolve();
        } else {
          this.#onMessage(message);
        }
      });
      worker.on('exit', (code) => {
        if (!this.#closing) this.#workerFailed(new Error(`capture worker exited with code ${code}`));
      });
    });
  }

  emit(event: CaptureEvent, bytes: number): boolean {
    if (!this.#worker || this.#closing) {
      this.#drop();
      return false;
    }
    // The end of an exchange is always let through: it is tiny and frees the worker's state for it.
    if (
      event.type !== 'exchange-end' &&
      this.#outstandingBytes + this.#pendingBytes + bytes > this.#options.queueBytes
    ) {
      this.#drop();
      return false;
    }
    this.#pending.push(event);
    this.#pendingBytes += bytes;
    if (this.#pending.length >= BATCH_EVENTS) {
      this.#post();
    } else if (!this.#timer) {
      this.#timer = setTimeout(this.#post, BATCH_MS);
    }
    return true;
  }

  readonly #post = (): void => {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#pending.length === 0 || !this.#worker) return;
    const message: ToWorker = { type: 'events', events: this.#pending, bytes: this.#pendingBytes };
    // Response chunks are the capture's own copies: moving their memory to the worker beats copying it again.
    const transfer: ArrayBuffer[] = [];
    for (const event of this.#pending) {
      if (event.type === 'response-chunk') transfer.push(event.chunk.buffer as ArrayBuffer);
    }
    this.#outstandingBytes += this.#pendingBytes;
    this.#outstandingEvents += this.#pending.length;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#worker.postMessage(message, transfer);
  };

  #drop(): void {
    this.#dropped++;
    const now = Date.now();
    if (now - this.#lastDropReport >= DROP_REPORT_INTERVAL_MS) {
      this.#lastDropReport = now;
      const fresh = this.#dropped - this.#reportedDrops;
      this.#reportedDrops = this.#dropped;
      this.#options.log(
        `capture is falling behind: ${fresh} capture event(s) dropped (${this.#dropped} in all); traffic is unaffected`,
      );
    }
  }

  #onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'ack':
        this.#outstandingBytes -= message.bytes;
        this.#outstandingEvents -= message.events;
        this.#tally = message.tally;
        this.#storeFailures = message.storeFailures;
        if (message.telemetry) this.#telemetry = message.telemetry;
        if (message.metrics) this.#options.onMetrics?.(message.metrics);
        break;
      case 'telemetry':
        this.#telemetry = message.telemetry;
        break;
      case 'flushed':
        this.#flushWaiters.get(message.token)?.();
        this.#flushWaiters.delete(message.token);
        break;
      case 'problem':
        this.#options.log(message.message);
        break;
      case 'store-state':
        this.#storeError = message.error;
        // What waits for an unreachable store is not waited for (see `flush`).
        if (message.error !== null) this.#releaseFlushes();
        break;
      case 'tool-list-changed':
        this.#options.onToolListChanged?.(message.change);
        break;
      default:
        break;
    }
  }

  #workerFailed(error: Error): void {
    this.#options.log(
      `capture worker failed: ${error.message}; capture is off until restart, traffic is unaffected`,
    );
    this.#worker = null;
    this.#releaseFlushes();
  }

  #releaseFlushes(): void {
    for (const resolve of this.#flushWaiters.values()) resolve();
    this.#flushWaiters.clear();
  }

  /**
   * Resolves once every event emitted so far has been stored, or at once while the store is unreachable
   * (a PostgreSQL outage): its events then wait in the queue for as long as it is away, and a replay or
   * an export that flushes first should not wait with them.
   */
  flush(): Promise<void> {
    this.#post();
    const worker = this.#worker;
    if (!worker || this.#storeError !== null) return Promise.resolve();
    const token = ++this.#flushToken;
    return new Promise((resolve) => {
      this.#flushWaiters.set(token, resolve);
      worker.postMessage({ type: 'flush', token } satisfies ToWorker);
    });
  }

  stats(): CaptureStats {
    return {
      captured: this.#tally.messages,
      errors: this.#tally.errors,
      byServer: { ...this.#tally.byServer },
      dropped: this.#dropped,
      storeFailures: this.#storeFailures,
      storeError: this.#storeError,
      queuedBytes: this.#outstandingBytes + this.#pendingBytes,
      queuedEvents: this.#outstandingEvents + this.#pending.length,
      telemetry: this.#telemetry ? { ...this.#telemetry } : this.#options.otlp ? emptyTelemetry() : null,
    };
  }

  /**
   * Stores what is queued, then stops the worker and closes the store. The worker takes the close after
   * the events sent before it; a PostgreSQL store that is away gets a bounded wait (postgres/writer.ts),
   * where a flush would wait for it to come back.
   */
  async close(): Promise<void> {
    this.#post();
    this.#closing = true;
    const worker = this.#worker;
    this.#worker = null;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'closed') resolve();
      });
      worker.once('exit', () => resolve());
      worker.postMessage({ type: 'close' } satisfies ToWorker);
    });
    await worker.terminate();
    // A flush still waiting ends with the worker: nothing more will be stored.
    this.#releaseFlushes();
  }
}
