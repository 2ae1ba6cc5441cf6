import type { BodyMode, CaptureSink, HeaderMap, ResponseOrigin } from '../core/capture-events.js';
import { now } from '../core/clock.js';
import { mediaType } from '../core/headers.js';
import type { RecordOrigin } from '../core/record.js';

let nextExchange = 1;

/** Roughly what an event costs beyond its payload, for the capture queue's byte budget. */
const EVENT_OVERHEAD = 256;

/** How a response body is framed, from its Content-Type. */
export function bodyMode(contentType: string | string[] | undefined, status: number): BodyMode {
  if (status === 204 || status === 304) return 'none';
  const type = mediaType(Array.isArray(contentType) ? contentType[0] : contentType);
  if (type === 'text/event-stream') return 'sse';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  return 'other';
}

/**
 * Reports one HTTP exchange to the capture sink. Never blocks and never throws: if the queue refuses the
 * start of an exchange, the rest of it is skipped; refused response chunks are counted and reported at
 * the end, so the record says what is missing.
 */
export class ExchangeCapture {
  readonly id = nextExchange++;
  readonly #sink: CaptureSink;
  readonly #maxBodyBytes: number;
  #accepted = false;
  #lostChunks = 0;
  #ended = false;

  constructor(sink: CaptureSink, maxBodyBytes: number) {
    this.#sink = sink;
    this.#maxBodyBytes = maxBodyBytes;
  }

  start(
    server: string,
    httpMethod: string,
    sessionId: string | null,
    requestHeaders: HeaderMap,
    configuredHeaders: string[],
    body: Buffer | null,
    /** The body already decoded, when the caller has it: decoding twice is wasted work on the hot path. */
    bodyText?: string,
    /** When the gateway had the whole request, for an exchange whose upstream leg is timed. */
    arrived?: number,
    /** What the gateway did to the request before forwarding it (a breakpoint's edit). */
    origin?: RecordOrigin,
    /** The record this request replays (core/replay-mark.ts), or null. */
    replayOf: number | null = null,
  ): void {
    const truncated = body !== null && body.length > this.#maxBodyBytes;
    let text: string | null = null;
    if (body !== null) {
      text =
        !truncated && bodyText !== undefined
          ? bodyText
          : (truncated ? body.subarray(0, this.#maxBodyBytes) : body).toString('utf8');
    }
    this.#accepted = this.#sink.emit(
      {
        type: 'exchange-start',
        exchange: this.id,
        time: now(),
        server,
        sessionId,
        httpMethod,
        requestHeaders,
        configuredHeaders,
        body: text,
        bodySize: body?.length ?? 0,
        bodyTruncated: truncated,
        arrived,
        ...(origin ? { origin } : {}),
        ...(replayOf === null ? {} : { replayOf }),
      },
      EVENT_OVERHEAD + (text?.length ?? 0),
    );
  }

  /** `forwarded`: when the request was written to the upstream (absent when the gateway answered). */
  responseStart(
    status: number,
    headers: HeaderMap,
    mode: BodyMode,
    origin: ResponseOrigin,
    forwarded?: number,
    note?: string,
  ): void {
    if (!this.#accepted) return;
    this.#sink.emit(
      {
        type: 'response-start',
        exchange: this.id,
        time: now(),
        status,
        headers,
        mode,
        origin,
        forwarded,
        ...(note ? { note } : {}),
      },
      EVENT_OVERHEAD,
    );
  }

  /**
   * `chunk` is copied: the proxy writes the original to the client and its memory may be reused. Called
   * once the chunk is on its way to the client; `received` is when it came from the upstream.
   */
  chunk(chunk: Uint8Array, received?: number, origin?: RecordOrigin): void {
    if (!this.#accepted) return;
    if (this.#lostChunks > 0) {
      // Once a chunk is lost the stream's framing is broken for capture; skip the rest of it.
      this.#lostChunks++;
      return;
    }
    const copy = new Uint8Array(chunk);
    if (
      !this.#sink.emit(
        {
          type: 'response-chunk',
          exchange: this.id,
          time: now(),
          received,
          chunk: copy,
          ...(origin ? { origin } : {}),
        },
        EVENT_OVERHEAD + copy.length,
      )
    ) {
      this.#lostChunks++;
    }
  }

  /** Called once the response is complete at the client's end; `received`: the upstream's last byte. */
  end(error: string | null, received?: number): void {
    if (!this.#accepted || this.#ended) return;
    this.#ended = true;
    this.#sink.emit(
      {
        type: 'exchange-end',
        exchange: this.id,
        time: now(),
        received,
        error,
        lostChunks: this.#lostChunks,
      },
      EVENT_OVERHEAD,
    );
  }
}
