import type { CaptureSink, StdioHttpDetail, StdioLineEvent, UpstreamLeg } from '../core/capture-events.js';
import { now } from '../core/clock.js';

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

  constructor(sink: CaptureSink, server: string, maxBytes: number) {
    this.#sink = sink;
    this.#server = server;
    this.#maxBytes = maxBytes;
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
