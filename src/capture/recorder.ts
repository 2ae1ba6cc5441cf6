import type { CaptureEvent } from '../core/capture-events.js';
import type { RecordSink } from '../store/record-writer.js';
import type { ToolListStore } from '../store/tool-lists.js';
import { Assembler } from './assembler.js';
import { describeListener } from './listeners/describe.js';
import { redactListener } from './listeners/redact.js';
import { storeListener } from './listeners/store.js';
import { emptyTally, type Tally, tallyListener } from './listeners/tally.js';
import { type ToolListChanged, toolDriftListener } from './listeners/tool-drift.js';
import { toolErrorsListener } from './listeners/tool-errors.js';
import { type CaptureListener, CapturePipeline } from './pipeline.js';
import { type CapturePolicy, DEFAULT_CAPTURE_POLICY } from './policy.js';

export interface RecorderOptions {
  sink: RecordSink;
  maxMessageBytes: number;
  /** What to redact; the default redacts (see redaction/policy.ts). */
  policy?: CapturePolicy;
  /** A record could not be written; it is lost, counted, and traffic goes on. */
  onStoreFailure: (error: unknown) => void;
  /** A listener threw; the others still ran. */
  onListenerError: (listener: string, error: unknown) => void;
  /** Where tool-list drift is kept; absent, tool lists are not compared. */
  toolLists?: ToolListStore;
  /** A server's tool list changed (told after the batch that stored the change is committed). */
  onToolListChanged?: (change: ToolListChanged) => void;
  /** Listeners that run after the built-in ones (a live feed, for instance). */
  extraListeners?: CaptureListener[];
}

/**
 * Turns capture events into stored records. The listener order is the whole capture policy, in one place:
 * secrets are removed before anything else sees a record, and a record is described before it is stored.
 */
export class Recorder {
  readonly tally: Tally = emptyTally();
  readonly #assembler: Assembler;
  readonly #pipeline: CapturePipeline;
  readonly #sink: RecordSink;

  constructor(options: RecorderOptions) {
    this.#sink = options.sink;
    const listeners: CaptureListener[] = [
      redactListener(options.policy ?? DEFAULT_CAPTURE_POLICY),
      describeListener(),
      toolErrorsListener(),
      storeListener(options.sink, options.onStoreFailure),
      tallyListener(this.tally),
      ...(options.toolLists ? [toolDriftListener(options.toolLists, options.onToolListChanged)] : []),
      ...(options.extraListeners ?? []),
    ];
    this.#pipeline = new CapturePipeline(listeners, options.onListenerError);
    this.#assembler = new Assembler(this.#pipeline, { maxMessageBytes: options.maxMessageBytes });
  }

  /** Applies a new policy to the messages recorded from now on. */
  configure(policy: CapturePolicy): void {
    this.#pipeline.configure(policy);
  }

  /** Lets the listeners flush what they buffer (spans on their way to a collector), when capture stops. */
  done(): Promise<void> {
    return this.#pipeline.done();
  }

  /** Handles a batch of events as one transaction. */
  record(events: readonly CaptureEvent[]): void {
    this.#sink.batch(() => {
      for (const event of events) this.#assembler.handle(event);
      this.#assembler.endBatch();
    });
    this.#pipeline.batchEnd();
  }
}
