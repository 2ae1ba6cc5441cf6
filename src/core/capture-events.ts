/**
 * What the proxy tells the capture pipeline. These are raw facts about an exchange (bytes, times, headers),
 * cheap to produce on the hot path; turning them into message records happens off the proxy's path.
 * Events must stay structured-clone friendly: they cross a worker-thread boundary.
 */

import type { RecordOrigin } from './record.js';

export type HeaderMap = Record<string, string | string[]>;

/** How a response body is framed, decided from its Content-Type. */
export type BodyMode = 'json' | 'sse' | 'other' | 'none';

/** Who produced a response: the upstream server, or the gateway itself (an error it answered). */
export type ResponseOrigin = 'upstream' | 'gateway';

export interface ExchangeStartEvent {
  type: 'exchange-start';
  /** Unique within this process; ties the exchange's events together. */
  exchange: number;
  time: number;
  server: string;
  sessionId: string | null;
  httpMethod: string;
  /** The headers as forwarded upstream (secrets are redacted by the pipeline, never here). */
  requestHeaders: HeaderMap;
  /** Header names whose values came from the server's configuration: always redacted. */
  configuredHeaders: string[];
  /** The request body as text, when there was one; capped, see `bodyTruncated`. */
  body: string | null;
  bodySize: number;
  bodyTruncated: boolean;
  /**
   * When the gateway had the whole request (its body read), before its own work on it: `time` is later,
   * just before forwarding. Absent where no upstream leg is timed (the gateway answers itself).
   */
  arrived?: number;
  /** Set when the gateway changed the request before forwarding it (a breakpoint's edit). */
  origin?: RecordOrigin;
  /** The record this request replays, when the gateway sent it again itself (core/replay-mark.ts). */
  replayOf?: number;
}

export interface ResponseStartEvent {
  type: 'response-start';
  exchange: number;
  time: number;
  status: number;
  headers: HeaderMap;
  mode: BodyMode;
  origin: ResponseOrigin;
  /** When the request was written to the upstream's socket; absent when the gateway answered itself. */
  forwarded?: number;
  /** Why the gateway answered itself, for its records (`origin: 'gateway'`): "fault rule f2 (…)". */
  note?: string;
}

export interface ResponseChunkEvent {
  type: 'response-chunk';
  exchange: number;
  /** When the chunk was passed on to the client. */
  time: number;
  /** When it arrived from the upstream (the gap to `time` is the gateway's). */
  received?: number;
  chunk: Uint8Array;
  /** Set when the gateway wrote or changed what this chunk carries (an edited or injected message). */
  origin?: RecordOrigin;
}

export interface ExchangeEndEvent {
  type: 'exchange-end';
  exchange: number;
  /** When the response was complete at the client's end (its last byte handed to the socket). */
  time: number;
  /** When the upstream's last byte arrived, for a response it sent (the gap to `time` is the gateway's). */
  received?: number;
  /** Why the exchange ended abnormally (upstream error, client disconnect), or null. */
  error: string | null;
  /** Response chunks the capture queue had to drop for this exchange. */
  lostChunks: number;
}

/** One line a stdio server or client wrote; `stream` tells stdout/stdin JSON-RPC from stderr logs. */
export interface StdioLineEvent {
  type: 'stdio-line';
  time: number;
  server: string;
  sessionId: string | null;
  stream: 'stdin' | 'stdout' | 'stderr';
  line: string;
  truncated: boolean;
  /** Set when the gateway wrote the line itself (an error it answered, its own handshake). */
  note?: string | null;
  /** The HTTP request of the client that sent (or is sent) this message through a stdio server's HTTP side. */
  http?: StdioHttpDetail | null;
  /** stdin: when the gateway had the client's HTTP request that carried the message. */
  arrived?: number;
  /** stdout, an answer to a client's request: when that request went to the server and the answer came back. */
  leg?: UpstreamLeg | null;
  /** Set when the gateway wrote or changed this message (a breakpoint's edit, an injected answer). */
  origin?: RecordOrigin;
}

/**
 * The upstream's part of an answered request, on the gateway's clock (core/clock.ts): when the request
 * was written to the server and when its answer was read back. With the request's arrival and the
 * answer's hand-over to the client it splits the request's time between the gateway and the upstream.
 */
export interface UpstreamLeg {
  forwarded: number;
  received: number;
}

/** What the stdio front knows of its client's HTTP request: the same fields an HTTP exchange records. */
export interface StdioHttpDetail {
  method: string;
  status: number | null;
  userAgent: string | null;
  /** The record this request replays, when the gateway sent it again itself (core/replay-mark.ts). */
  replayOf?: number;
}

/** A fact the gateway wants on a server's timeline that is no message: a crash, a restart. */
export interface ServerNoteEvent {
  type: 'server-note';
  time: number;
  server: string;
  sessionId: string | null;
  text: string;
}

export type CaptureEvent =
  | ExchangeStartEvent
  | ResponseStartEvent
  | ResponseChunkEvent
  | ExchangeEndEvent
  | StdioLineEvent
  | ServerNoteEvent;

/** What the proxy holds to report on: the capture queue implements it. */
export interface CaptureSink {
  /** Returns false when the event was dropped (queue full); the proxy carries on either way. */
  emit(event: CaptureEvent, bytes: number): boolean;
}
