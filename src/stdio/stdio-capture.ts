import type { CaptureSink, StdioHttpDetail, StdioLineEvent, UpstreamLeg } from '../core/capture-events.js';
import { now } from '../core/clock.js';
import type { RecordOrigin } from '../core/record.js';
import type { MessageStage } from '../intercept/stage.js';

/** Roughly what an event costs beyond its text, for the capture queue's byte budget. */
const EVENT_OVERHEAD = 128;

/**
 * Reports a stdio server's traffic to capture: one event per line, stamped with the session that saw it.
 * Never blocks: a full capture queue drops the event (and counts it), the traffic goes on.
 */
export class StdioCapture {
  readonly #sink: CaptureSink;
  readonly #server: string;
  readonly #maxBytes: number;
  /**
   * The message stage what this server's sessions deliver passes (breakpoints, faults): it travels with
   * the capture because every place that records a message for a client is where it is delivered.
   */
  readonly stage: MessageStage | null;

  constructor(sink: CaptureSink, server: string, maxBytes: number, stage: MessageStage | null = null) {
    this.#sink = sink;
    this.#server = server;
    this.#maxBytes = maxBytes;
    this.stage = stage;
  }

  get server(): string {
    return this.#server;
  }

  line(
    sessionId: string | null,
    stream: StdioLineEvent['stream'],
    text: string,
    options: {
      truncated?: boolean;
      note?: string;
      /** The client's HTTP request this message came in or goes out on. */
      http?: StdioHttpDetail;
      /** When it was written, if earlier than now (a stderr block is recorded once it is complete). */
      time?: number;
      /** stdin: when the gateway had the client's HTTP request that carried it. */
      arrived?: number;
      /** stdout, an answer: when its request went to the server and when the answer came back. */
      leg?: UpstreamLeg;
      /** What the gateway did to the message (a breakpoint's edit, an answer it wrote in a party's place). */
      origin?: RecordOrigin;
    } = {},
  ): void {
    const cut = text.length > this.#maxBytes;
    const line = cut ? text.slice(0, this.#maxBytes) : text;
    this.#sink.emit(
      {
        type: 'stdio-line',
        time: options.time ?? now(),
        server: this.#server,
        sessionId,
        stream,
        line,
        truncated: (options.truncated ?? false) || cut,
        note: options.note ?? null,
        http: options.http ?? null,
        arrived: options.arrived,
        leg: options.leg ?? null,
        ...(options.origin ? { origin: options.origin } : {}),
      },
      EVENT_OVERHEAD + line.length,
    );
  }

  /** A fact for the server's timeline (crash, restart, a message the gateway dropped). */
  note(sessionId: string | null, text: string): void {
    this.#sink.emit(
      { type: 'server-note', time: now(), server: this.#server, sessionId, text },
      EVENT_OVERHEAD + text.length,
    );
  }
}
