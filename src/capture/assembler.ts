import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import type {
  BodyMode,
  CaptureEvent,
  ExchangeEndEvent,
  ExchangeStartEvent,
  HeaderMap,
  ResponseChunkEvent,
  ResponseOrigin,
  ResponseStartEvent,
  ServerNoteEvent,
  StdioLineEvent,
  UpstreamLeg,
} from '../core/capture-events.js';
import { headerValue } from '../core/headers.js';
import { idKey } from '../core/jsonrpc.js';
import type { RecordOrigin } from '../core/record.js';
import { Correlator, type PendingRequest } from './correlator.js';
import { type DraftContext, draftsFromJsonText, type MessageDraft, textDraft } from './draft.js';
import { type ExchangeIdentity, exchangeIdentity, Identities } from './identities.js';
import { requestClaims } from './message-meta.js';
import { OperationLinks } from './operation-links.js';
import type { CapturePipeline } from './pipeline.js';
import { Utf8Stream } from './utf8-stream.js';

/** What the assembler holds about one HTTP exchange while its response streams in. */
interface HttpExchange {
  start: ExchangeStartEvent;
  sessionId: string | null;
  userAgent: string | null;
  requestDrafts: MessageDraft[];
  /**
   * Request records are held until the response starts, so that they are stored once, complete with the
   * HTTP status and session id, rather than stored and then updated. A batch never ends with one held.
   */
  requestsHeld: boolean;
  /** Requests sent in this exchange's body, answered (normally) in its response. */
  local: Map<string, PendingRequest>;
  identity: ExchangeIdentity;
  status: number | null;
  /** When the request went to the upstream; null when the gateway answered it itself. */
  forwarded: number | null;
  responseHeaders: HeaderMap | null;
  mode: BodyMode;
  origin: ResponseOrigin;
  /** The gateway's reason for answering itself, when it gave one. */
  gatewayNote: string | null;
  decoder: Utf8Stream | null;
  parts: string[];
  bodyChars: number;
  bodySize: number;
  truncated: boolean;
  parser: EventSourceParser | null;
  /** Time of the chunk being parsed (passed on to the client): the time stamped on the SSE events it completes. */
  chunkTime: number;
  /** When that chunk came from the upstream. */
  chunkReceived: number | undefined;
  /** An SSE event outgrew the limit; input is skipped until the next blank line. */
  skippingEvent: boolean;
  /** What the gateway did to the chunk being parsed (SSE), or to any chunk of a whole body. */
  chunkOrigin: RecordOrigin | null;
}

/**
 * Turns the proxy's raw exchange events into message drafts and hands them to the pipeline: parses JSON
 * bodies and SSE streams, splits batches, matches responses to requests, and stamps each message with its
 * session's client and server. Runs off the proxy's thread; memory per exchange is capped by
 * `maxMessageBytes`.
 */
export class Assembler {
  readonly #pipeline: CapturePipeline;
  readonly #maxMessageBytes: number;
  readonly #exchanges = new Map<number, HttpExchange>();
  readonly #held = new Set<HttpExchange>();
  readonly #correlator = new Correlator();
  readonly #identities = new Identities();
  readonly #links = new OperationLinks();

  constructor(pipeline: CapturePipeline, options: { maxMessageBytes: number }) {
    this.#pipeline = pipeline;
    this.#maxMessageBytes = options.maxMessageBytes;
  }

  handle(event: CaptureEvent): void {
    switch (event.type) {
      case 'exchange-start':
        this.#exchangeStart(event);
        break;
      case 'response-start':
        this.#responseStart(event);
        break;
      case 'response-chunk':
        this.#responseChunk(event);
        break;
      case 'exchange-end':
        this.#exchangeEnd(event);
        break;
      case 'stdio-line':
        this.#stdioLine(event);
        break;
      case 'server-note':
        this.#serverNote(event);
        break;
    }
  }

  /** Stores the requests still held at the end of a batch: a slow answer must not hide its request. */
  endBatch(): void {
    for (const exchange of this.#held) this.#releaseRequests(exchange);
  }

  #releaseRequests(exchange: HttpExchange): void {
    if (!exchange.requestsHeld) return;
    exchange.requestsHeld = false;
    this.#held.delete(exchange);
    for (const draft of exchange.requestDrafts) this.#emit(draft, exchange);
  }

  /** Exchanges still open (for tests and diagnostics). */
  get openExchanges(): number {
    return this.#exchanges.size;
  }

  #exchangeStart(event: ExchangeStartEvent): void {
    const exchange: HttpExchange = {
      start: event,
      sessionId: event.sessionId,
      userAgent: headerValue(event.requestHeaders, 'user-agent') ?? null,
      requestDrafts: [],
      requestsHeld: false,
      local: new Map(),
      identity: exchangeIdentity(event.requestHeaders),
      status: null,
      forwarded: null,
      responseHeaders: null,
      mode: 'none',
      origin: 'upstream',
      gatewayNote: null,
      decoder: null,
      parts: [],
      bodyChars: 0,
      bodySize: 0,
      truncated: false,
      parser: null,
      chunkTime: event.time,
      chunkReceived: undefined,
      skippingEvent: false,
      chunkOrigin: null,
    };
    this.#exchanges.set(event.exchange, exchange);
    if (event.body === null) return;
    const context: DraftContext = {
      // A timed request is dated when the gateway had it, so that its answer's duration is the gateway's
      // time and the upstream's together.
      time: event.arrived ?? event.time,
      server: event.server,
      sessionId: event.sessionId,
      direction: 'client_to_server',
      transport: 'http-json',
      httpMethod: event.httpMethod,
      httpStatus: null,
      requestHeaders: event.requestHeaders,
      userAgent: exchange.userAgent,
      configuredHeaders: event.configuredHeaders,
      origin: event.origin ?? null,
      replayOf: event.replayOf ?? null,
    };
    exchange.requestDrafts = draftsFromJsonText(context, event.body, event.bodyTruncated);
    this.#joinConversation(exchange, exchange.requestDrafts);
    for (const draft of exchange.requestDrafts) this.#clientMessage(draft, exchange, false);
    exchange.requestsHeld = true;
    this.#held.add(exchange);
  }

  /**
   * A sessionless request of the per-request era (2026-07-28) joins a conversation, whose derived id then
   * stands for the exchange's session: its answer, its stream and its errors share the timeline.
   */
  #joinConversation(exchange: HttpExchange, drafts: readonly MessageDraft[]): void {
    if (exchange.sessionId !== null) return;
    const traceparent = headerValue(exchange.start.requestHeaders, 'traceparent');
    for (const draft of drafts) {
      const id = this.#identities.conversation(
        draft.record.server,
        draft.value,
        draft.record.time,
        traceparent,
      );
      if (id === null) continue;
      exchange.sessionId = id;
      for (const each of drafts) each.record.sessionId = id;
      exchange.identity.protocolVersion =
        requestClaims(draft.value)?.protocolVersion ?? exchange.identity.protocolVersion;
      return;
    }
  }

  #responseStart(event: ResponseStartEvent): void {
    const exchange = this.#exchanges.get(event.exchange);
    if (!exchange) return;
    exchange.status = event.status;
    exchange.forwarded = event.forwarded ?? null;
    exchange.responseHeaders = event.headers;
    exchange.mode = event.mode;
    exchange.origin = event.origin;
    exchange.gatewayNote = event.note ?? null;
    // The session id is minted by the server in its answer to initialize (MCP Streamable HTTP, "Session Management").
    exchange.sessionId ??= headerValue(event.headers, 'mcp-session-id') ?? null;
    for (const draft of exchange.requestDrafts) {
      if (draft.record.sessionId === null) draft.record.sessionId = exchange.sessionId;
      if (exchange.requestsHeld) draft.record.httpStatus = event.status;
      else this.#pipeline.requestCompleted(draft, event.status, exchange.sessionId);
    }
    this.#releaseRequests(exchange);
    const { httpMethod } = exchange.start;
    if (httpMethod === 'GET' || httpMethod === 'DELETE') {
      const what =
        httpMethod === 'DELETE'
          ? `DELETE session → ${event.status}`
          : event.mode === 'sse'
            ? `GET stream opened → ${event.status}`
            : `GET stream refused → ${event.status}`;
      const draft = textDraft(this.#context(exchange, 'client_to_server', 'http', event.time), what);
      draft.record.responseHeaders = event.headers;
      draft.record.note = event.origin === 'gateway' ? 'answered by the gateway' : null;
      this.#emit(draft);
    }
    if (event.mode !== 'none') exchange.decoder = new Utf8Stream();
    if (event.mode === 'sse') {
      exchange.parser = createParser({
        maxBufferSize: this.#maxMessageBytes,
        onEvent: (message) => this.#sseEvent(exchange, message),
        onError: (error) => {
          if (error.type !== 'max-buffer-size-exceeded') return;
          exchange.skippingEvent = true;
          const note = `an SSE event over ${this.#maxMessageBytes} bytes was not captured (it reached the client)`;
          this.#emit(
            textDraft(
              this.#context(exchange, 'server_to_client', this.#sseTransport(exchange), exchange.chunkTime),
              note,
              true,
            ),
          );
        },
      });
    }
  }

  #responseChunk(event: ResponseChunkEvent): void {
    const exchange = this.#exchanges.get(event.exchange);
    if (!exchange?.decoder) return;
    exchange.bodySize += event.chunk.byteLength;
    const text = exchange.decoder.decode(event.chunk);
    if (exchange.parser) {
      exchange.chunkTime = event.time;
      exchange.chunkReceived = event.received;
      exchange.chunkOrigin = event.origin ?? null;
      this.#feedSse(exchange, text);
      return;
    }
    if (event.origin) exchange.chunkOrigin = event.origin;
    if (exchange.truncated) return;
    const room = this.#maxMessageBytes - exchange.bodyChars;
    if (text.length > room) {
      exchange.parts.push(text.slice(0, room));
      exchange.bodyChars += room;
      exchange.truncated = true;
    } else {
      exchange.parts.push(text);
      exchange.bodyChars += text.length;
    }
  }

  #feedSse(exchange: HttpExchange, text: string): void {
    const parser = exchange.parser;
    if (!parser) return;
    let input = text;
    if (exchange.skippingEvent) {
      const boundary = /\r?\n\r?\n|\r\r/.exec(input);
      if (!boundary) return;
      input = input.slice(boundary.index + boundary[0].length);
      exchange.skippingEvent = false;
      parser.reset();
    }
    if (input) parser.feed(input);
  }

  #sseEvent(exchange: HttpExchange, message: EventSourceMessage): void {
    // An event with no data primes the client's Last-Event-ID for resumption; it carries no message
    // (MCP Streamable HTTP, "Resumability and Redelivery").
    if (message.data === '') return;
    const context = this.#context(
      exchange,
      'server_to_client',
      this.#sseTransport(exchange),
      exchange.chunkTime,
    );
    context.sseEventId = message.id ?? null;
    context.sseEventType = message.event ?? null;
    context.origin = exchange.chunkOrigin;
    const leg = this.#leg(exchange, exchange.chunkReceived);
    for (const draft of draftsFromJsonText(context, message.data, false))
      this.#serverMessage(draft, exchange, leg);
  }

  /** The upstream leg of an exchange's answer that came from the upstream at `received`, if it was timed. */
  #leg(exchange: HttpExchange, received: number | undefined): UpstreamLeg | null {
    if (exchange.forwarded === null || received === undefined) return null;
    return { forwarded: exchange.forwarded, received };
  }

  #exchangeEnd(event: ExchangeEndEvent): void {
    const exchange = this.#exchanges.get(event.exchange);
    if (!exchange) return;
    this.#exchanges.delete(event.exchange);
    this.#releaseRequests(exchange);
    const tail = exchange.decoder?.end() ?? '';
    if (exchange.parser) {
      if (tail) this.#feedSse(exchange, tail);
    } else if (exchange.decoder) {
      if (tail && !exchange.truncated) exchange.parts.push(tail);
      const text = exchange.parts.join('');
      const context = this.#context(exchange, 'server_to_client', 'http-json', event.time);
      if (exchange.origin === 'gateway') context.note = exchange.gatewayNote ?? 'answered by the gateway';
      context.origin = exchange.chunkOrigin;
      if (exchange.mode === 'json' && text.length > 0) {
        const leg = this.#leg(exchange, event.received);
        for (const draft of draftsFromJsonText(context, text, exchange.truncated)) {
          this.#serverMessage(draft, exchange, leg);
        }
      } else if (text.length > 0) {
        context.transport = 'http';
        this.#emit(textDraft(context, text, exchange.truncated));
      }
    }
    if (event.error) {
      const context = this.#context(exchange, 'server_to_client', 'http', event.time);
      const draft = textDraft(context, event.error);
      draft.record.note = exchange.status === null ? 'no response' : 'response cut short';
      this.#emit(draft);
    }
    if (event.lostChunks > 0) {
      const context = this.#context(exchange, 'server_to_client', 'http', event.time);
      const note = `capture queue was full: ${event.lostChunks} chunk(s) of this response were not captured (the client received them)`;
      this.#emit(textDraft(context, note, true));
    }
  }

  #stdioLine(event: StdioLineEvent): void {
    const context: DraftContext = {
      // A client's request is dated when the gateway had it (see #exchangeStart).
      time: event.arrived ?? event.time,
      server: event.server,
      sessionId: event.sessionId,
      direction: event.stream === 'stdin' ? 'client_to_server' : 'server_to_client',
      transport: 'stdio',
      httpMethod: event.http?.method ?? null,
      httpStatus: event.http?.status ?? null,
      userAgent: event.http?.userAgent ?? null,
      note: event.note ?? null,
      origin: event.origin ?? null,
      replayOf: event.stream === 'stdin' ? (event.http?.replayOf ?? null) : null,
    };
    if (event.stream === 'stderr') {
      const draft = textDraft(context, event.line, event.truncated);
      draft.record.kind = 'stderr';
      this.#emit(draft);
      return;
    }
    for (const draft of draftsFromJsonText(context, event.line, event.truncated)) {
      if (event.stream === 'stdin') this.#clientMessage(draft, null, true, event.arrived);
      else this.#serverMessage(draft, null, event.leg ?? null);
    }
  }

  #serverNote(event: ServerNoteEvent): void {
    const context: DraftContext = {
      time: event.time,
      server: event.server,
      sessionId: event.sessionId,
      direction: 'server_to_client',
      transport: 'stdio',
      httpMethod: null,
      httpStatus: null,
      note: 'gateway',
    };
    this.#emit(textDraft(context, event.text));
  }

  #sseTransport(exchange: HttpExchange): 'http-get-sse' | 'http-sse' {
    return exchange.start.httpMethod === 'GET' ? 'http-get-sse' : 'http-sse';
  }

  #context(
    exchange: HttpExchange,
    direction: DraftContext['direction'],
    transport: DraftContext['transport'],
    time: number,
  ): DraftContext {
    return {
      time,
      server: exchange.start.server,
      sessionId: exchange.sessionId,
      direction,
      transport,
      httpMethod: exchange.start.httpMethod,
      httpStatus: exchange.status,
      requestHeaders: direction === 'client_to_server' ? exchange.start.requestHeaders : null,
      responseHeaders: direction === 'server_to_client' ? exchange.responseHeaders : null,
      userAgent: exchange.userAgent,
      configuredHeaders: exchange.start.configuredHeaders,
    };
  }

  /** A message from the client: requests wait for their answer; answers find the server's request. */
  #clientMessage(
    draft: MessageDraft,
    exchange: HttpExchange | null,
    emit = true,
    arrived = exchange?.start.arrived,
  ): void {
    const { record, shape } = draft;
    if (shape.kind === 'request' && shape.id !== undefined) {
      const pending: PendingRequest = { draft, time: record.time, method: record.method, arrived };
      this.#correlator.add(
        Correlator.key(record.server, record.sessionId, 'client_to_server', shape.id),
        pending,
      );
      exchange?.local.set(idKey(shape.id), pending);
      if (record.method === 'initialize') this.#identities.initializing(draft, exchange?.identity ?? null);
    } else if ((shape.kind === 'response' || shape.kind === 'error') && shape.id !== undefined) {
      const pending = this.#correlator.take(
        Correlator.key(record.server, record.sessionId, 'server_to_client', shape.id),
      );
      if (pending) this.#answer(draft, pending, null);
    }
    if (emit) this.#emit(draft, exchange);
  }

  /**
   * A message from the server: answers find their request; the server's own requests wait for the client.
   * `leg`: when the request this message answers went upstream and the answer came back, where timed.
   */
  #serverMessage(draft: MessageDraft, exchange: HttpExchange | null, leg: UpstreamLeg | null = null): void {
    const { record, shape } = draft;
    if ((shape.kind === 'response' || shape.kind === 'error') && shape.id !== undefined) {
      const key = idKey(shape.id);
      const local = exchange?.local.get(key);
      let pending: PendingRequest | undefined;
      // An HTTP exchange's leg times the requests of its own body; an answer to another arrives elsewhere.
      let timed = exchange === null ? leg : null;
      if (local) {
        timed = leg;
        exchange?.local.delete(key);
        const requestSession = local.draft.record.sessionId;
        this.#correlator.take(Correlator.key(record.server, requestSession, 'client_to_server', shape.id));
        pending = local;
      } else {
        pending = this.#correlator.take(
          Correlator.key(record.server, record.sessionId, 'client_to_server', shape.id),
        );
      }
      if (pending) {
        this.#answer(draft, pending, timed);
        const learnt = this.#identities.answered(draft, pending, exchange?.identity ?? null);
        if (learnt.lateIdentity) this.#pipeline.identified(pending.draft);
        if (learnt.session) this.#pipeline.session(learnt.session);
      }
    } else if (shape.kind === 'request' && shape.id !== undefined) {
      this.#correlator.add(Correlator.key(record.server, record.sessionId, 'server_to_client', shape.id), {
        draft,
        time: record.time,
        method: record.method,
      });
    }
    this.#emit(draft, exchange);
  }

  #answer(draft: MessageDraft, pending: PendingRequest, leg: UpstreamLeg | null): void {
    const { record } = draft;
    record.method = pending.method;
    record.durationMs = milliseconds(record.time - pending.time);
    record.partnerId = pending.draft.id;
    // The answer to a replay belongs to the replay too.
    record.replayOf ??= pending.draft.record.replayOf;
    if (leg && pending.arrived !== undefined) {
      // The gateway's time is on either side of the upstream's: before the request went out, and from the
      // answer's arrival to its hand-over to the client (this record's time).
      record.upstreamMs = milliseconds(leg.received - leg.forwarded);
      record.gatewayMs = milliseconds(leg.forwarded - pending.arrived + (record.time - leg.received));
    }
    this.#links.answered(pending.draft, draft);
    draft.answers = { request: pending.draft, leg: leg && pending.arrived !== undefined ? leg : null };
  }

  /** Names the record's client and server and its protocol version, then hands it to the listeners. */
  #emit(draft: MessageDraft, exchange: HttpExchange | null = null): void {
    this.#identities.stamp(draft, exchange?.identity ?? null);
    this.#links.message(draft);
    this.#pipeline.message(draft);
    if (draft.answers) {
      this.#pipeline.answered(draft.answers.request, draft, draft.answers.leg);
      // The request is referenced no longer than its answer's trip through the pipeline.
      draft.answers = undefined;
    }
  }
}

/** A span in milliseconds, to the microsecond, never negative. */
function milliseconds(span: number): number {
  return Math.max(0, Math.round(span * 1000) / 1000);
}
