import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** What became of the spans the gateway made, for /api/status and /metrics. */
export interface SpanCounts {
  /** Spans the collector accepted. */
  exported: number;
  /** Spans lost: the export failed (collector unreachable, refused) or the queue was full. */
  dropped: number;
  /** Spans waiting in the batch queue or in an export under way. */
  queued: number;
}

/**
 * Wraps the OTLP exporter to count what it delivered and what it lost, and keeps the batch queue
 * bounded by counting what is handed to it (the BatchSpanProcessor drops silently past its limit).
 */
export class CountingExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #onFailure: (error: Error | undefined) => void;
  #created = 0;
  #exported = 0;
  #failed = 0;
  #refused = 0;

  constructor(inner: SpanExporter, onFailure: (error: Error | undefined) => void) {
    this.#inner = inner;
    this.#onFailure = onFailure;
  }

  /** Reserves a place for a new span: false (and a drop counted) when `limit` spans already wait. */
  admit(limit: number): boolean {
    if (this.#created - this.#exported - this.#failed >= limit) {
      this.#refused++;
      return false;
    }
    this.#created++;
    return true;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.#inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.#exported += spans.length;
      else {
        this.#failed += spans.length;
        this.#onFailure(result.error);
      }
      done(result);
    });
  }

  counts(): SpanCounts {
    return {
      exported: this.#exported,
      dropped: this.#failed + this.#refused,
      queued: this.#created - this.#exported - this.#failed,
    };
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }
}
