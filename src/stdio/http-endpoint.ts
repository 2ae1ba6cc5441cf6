import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { CaptureSink } from '../core/capture-events.js';
import { now } from '../core/clock.js';
import { GatewayError, RpcErrorCode } from '../core/errors.js';
import { classifyMessage, parseJsonBody, singleRequestId } from '../core/jsonrpc.js';
import type { RecordOrigin } from '../core/record.js';
import { ExchangeCapture } from '../proxy/exchange-capture.js';
import { replyWithError } from '../proxy/gateway-reply.js';
import { acceptedStatus, clientHttp } from './client-http.js';
import { isModernRequest } from './era.js';
import { HttpSession } from './http-session.js';
import { ModernConversation } from './modern-conversation.js';
import { ModernRequests } from './modern-requests.js';
import type { ClientSession } from './session-peer.js';
import type { StdioCapture } from './stdio-capture.js';
import { headerMapOf, isEventStream, toWebRequest, writeWebResponse } from './web-bridge.js';

/** What runs behind the sessions: one shared process, or a process per session. */
export interface SessionBackend {
  /**
   * A new session is about to initialize, with these params (MCP lifecycle: its capabilities decide what
   * the server offers it); throws a GatewayError when it cannot be served now.
   */
  open(session: ClientSession, initializeParams: unknown): Promise<void>;
  message(session: ClientSession, message: JSONRPCMessage, text: string): void;
  closed(session: ClientSession): void;
  /** Requests of the session still waiting for the server: such a session is not idle. */
  inFlight(session: ClientSession): number;
  /** Why a request of the session cannot reach the server now (a crashed process), or null. */
  refusal?(session: ClientSession): GatewayError | null;
}

export interface StdioEndpointOptions {
  capture: StdioCapture;
  /** For refusals recorded as HTTP exchanges (nothing reached the server). */
  sink: CaptureSink;
  maxCaptureBytes: number;
  backend: SessionBackend;
  /** The least recently active session is ended past this many. */
  maxSessions: number;
}

const STANDALONE_STREAM = '_GET_stream';

/** Sessions the gateway ended whose reason is kept for their client's next request. */
const MAX_ENDED_REASONS = 1000;

/**
 * The Streamable HTTP server in front of a stdio server (MCP Transports, "Streamable HTTP"): sessions
 * minted by the gateway, one SDK transport per session. The proxy has already read and checked the POST
 * body (size, Content-Type, JSON); what a session's transport refuses is recorded as an HTTP exchange.
 */
export class StdioEndpoint {
  readonly #options: StdioEndpointOptions;
  readonly #sessions = new Map<string, ClientSession>();
  readonly #modern: ModernRequests;
  readonly #eventBudget = { used: 0 };
  /** Why recently ended sessions ended, oldest first (bounded). */
  readonly #endedReasons = new Map<string, string>();

  constructor(options: StdioEndpointOptions) {
    this.#options = options;
    this.#modern = new ModernRequests({
      capture: options.capture,
      backend: options.backend,
      started: (conversation) => {
        this.#sessions.set(conversation.id, conversation);
        this.#evictBeyondLimit();
      },
      closed: (conversation) => this.#closed(conversation),
    });
  }

  get sessions(): ReadonlyMap<string, ClientSession> {
    return this.#sessions;
  }

  readonly handle = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer | null,
    arrived?: number,
    origin?: RecordOrigin,
  ): void => {
    this.#handle(req, res, body, arrived, origin).catch((error: unknown) => {
      const failure =
        error instanceof GatewayError
          ? error
          : new GatewayError(500, `Internal error in the gateway: ${(error as Error).message}`);
      this.#refuse(req, res, body, failure);
    });
  };

  async #handle(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer | null,
    arrived: number | undefined,
    origin: RecordOrigin | undefined,
  ): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId !== 'string') {
      const parsed = body ? parseJsonBody(body.toString('utf8')) : null;
      if (isModernRequest(req, parsed?.ok ? parsed.messages : [])) {
        await this.#modern.handle(req, res, body, arrived, origin);
        return;
      }
      if (req.method === 'POST' && body && initializeIn(body)) {
        await this.#open(req, res, body, arrived, origin);
        return;
      }
      throw new GatewayError(
        400,
        'Bad Request: Mcp-Session-Id header is required. Start a session with an initialize request first.',
      );
    }
    const found = this.#sessions.get(sessionId);
    const session = found instanceof HttpSession ? found : undefined;
    if (!session || session.closed) {
      const reason =
        session?.endReason ??
        this.#endedReasons.get(sessionId) ??
        'DELETE, idle timeout, process exit or gateway restart';
      throw new GatewayError(
        404,
        `Session not found: session ${sessionId} of stdio server "${this.#options.capture.server}" has ended (${reason}). Start a new session: send initialize again.`,
        { rpcCode: RpcErrorCode.ConnectionClosed },
      );
    }
    // A request the server cannot take now is refused before the transport opens its stream, so that the
    // HTTP status tells the truth (502) along with the JSON-RPC error.
    const refusal = req.method === 'POST' ? this.#options.backend.refusal?.(session) : null;
    if (refusal && body && hasRequest(body)) throw refusal;
    await this.#relay(session, req, res, body, arrived, origin);
  }

  async #open(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    arrived: number | undefined,
    origin: RecordOrigin | undefined,
  ): Promise<void> {
    const session = new HttpSession({
      id: randomUUID(),
      capture: this.#options.capture,
      eventBudget: this.#eventBudget,
      onMessage: (s, message, text) => this.#options.backend.message(s, message, text),
      onClosed: (s) => this.#closed(s),
    });
    await this.#options.backend.open(session, initializeIn(body)?.params);
    this.#sessions.set(session.id, session);
    this.#evictBeyondLimit();
    // Waiting for the server to be ready (isolated mode: a process of its own starting) is the server's
    // time, not the gateway's: for the split of the initialize's time the clock starts again here.
    const ready = arrived === undefined ? undefined : now();
    const status = await this.#relay(session, req, res, body, ready, origin);
    if (status >= 400) session.close();
  }

  /** Hands a request to the session's transport and writes its answer; returns the HTTP status. */
  async #relay(
    session: HttpSession,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer | null,
    arrived: number | undefined,
    origin?: RecordOrigin,
  ): Promise<number> {
    const texts = body ? messageTexts(body) : null;
    const tag = texts
      ? session.expectPost(texts.texts, clientHttp(req, acceptedStatus(texts.hasRequest)), arrived, origin)
      : {};
    let response: Response;
    try {
      response = await session.transport.handleRequest(
        toWebRequest(req, tag),
        texts ? { parsedBody: texts.parsed } : undefined,
      );
    } finally {
      session.forgetPost(tag);
    }
    const standalone = req.method === 'GET' && response.status === 200 && this.#isStandalone(session, req);
    if (standalone) {
      session.standaloneOpened();
      res.once('close', () => session.standaloneClosed());
    }
    // POSTs the transport accepted are recorded as their messages; the rest as HTTP exchanges, so that a
    // session's timeline shows its streams, its end, and what was refused (and never reached the server).
    const exchange =
      req.method !== 'POST' || response.status >= 400
        ? this.#startExchange(req, session.id, req.method === 'POST' ? body : null)
        : null;
    const headers = headerRecord(response);
    if (exchange && isEventStream(response))
      exchange.responseStart(response.status, headers, 'sse', 'gateway');
    const text = await writeWebResponse(res, response);
    if (exchange && text !== null) {
      exchange.responseStart(response.status, headers, text ? 'json' : 'none', 'gateway');
      if (text) exchange.chunk(Buffer.from(text));
    }
    exchange?.end(null);
    return response.status;
  }

  #isStandalone(session: HttpSession, req: IncomingMessage): boolean {
    const lastEventId = req.headers['last-event-id'];
    return typeof lastEventId !== 'string' || session.events.streamOf(lastEventId) === STANDALONE_STREAM;
  }

  #startExchange(req: IncomingMessage, sessionId: string | null, body: Buffer | null): ExchangeCapture {
    const capture = new ExchangeCapture(this.#options.sink, this.#options.maxCaptureBytes);
    capture.start(this.#options.capture.server, req.method ?? 'POST', sessionId, headerMapOf(req), [], body);
    return capture;
  }

  #refuse(req: IncomingMessage, res: ServerResponse, body: Buffer | null, error: GatewayError): void {
    const sessionId = req.headers['mcp-session-id'];
    const capture = this.#startExchange(req, typeof sessionId === 'string' ? sessionId : null, body);
    const id = body ? singleRequestId(parseJsonBody(body.toString('utf8'))) : null;
    replyWithError(res, error, id, capture);
  }

  #evictBeyondLimit(): void {
    while (this.#sessions.size > this.#options.maxSessions) {
      let oldest: ClientSession | undefined;
      for (const session of this.#sessions.values()) {
        if (!oldest || session.lastActive < oldest.lastActive) oldest = session;
      }
      if (!oldest) return;
      const why = 'too many sessions, this one was the least recently active';
      this.#options.capture.note(oldest.id, `session ended: ${why}`);
      this.#sessions.delete(oldest.id);
      this.#remember(oldest.id, why);
      oldest.close(why);
    }
  }

  #closed(session: ClientSession): void {
    this.#sessions.delete(session.id);
    if (session instanceof ModernConversation) this.#modern.forget(session);
    if (session.endReason !== null) this.#remember(session.id, session.endReason);
    this.#options.backend.closed(session);
  }

  #remember(sessionId: string, reason: string): void {
    this.#endedReasons.set(sessionId, reason);
    for (const oldest of this.#endedReasons.keys()) {
      if (this.#endedReasons.size <= MAX_ENDED_REASONS) break;
      this.#endedReasons.delete(oldest);
    }
  }

  /** Ends sessions whose client has been silent for `idleMs`, with nothing in flight; returns how many. */
  endIdle(idleMs: number, now = Date.now()): number {
    let ended = 0;
    for (const session of [...this.#sessions.values()]) {
      if (now - session.lastActive < idleMs || this.#options.backend.inFlight(session) > 0) continue;
      const why = `${Math.round(idleMs / 1000)} s without a message from its client (idleTimeout)`;
      this.#options.capture.note(session.id, `session ended after ${why}`);
      session.close(`it was idle: ${why}`);
      ended++;
    }
    return ended;
  }

  /** Ends every session (shutdown, restart of an isolated server, server removed). */
  closeAll(): void {
    for (const session of [...this.#sessions.values()]) session.close();
  }
}

/** The initialize request in a POST body (a batch may carry it among other messages), or null. */
function initializeIn(body: Buffer): { params?: unknown } | null {
  const parsed = parseJsonBody(body.toString('utf8'));
  if (!parsed.ok) return null;
  for (const m of parsed.messages) {
    const shape = classifyMessage(m);
    if (shape.kind === 'request' && shape.method === 'initialize') return m as { params?: unknown };
  }
  return null;
}

function hasRequest(body: Buffer): boolean {
  const parsed = parseJsonBody(body.toString('utf8'));
  return parsed.ok && parsed.messages.some((m) => classifyMessage(m).kind === 'request');
}

/** The messages of a POST body as the client wrote them: the body itself, or each element of a batch. */
function messageTexts(body: Buffer): { parsed: unknown; texts: string[]; hasRequest: boolean } {
  const text = body.toString('utf8');
  const parsed = parseJsonBody(text);
  if (!parsed.ok) return { parsed: undefined, texts: [], hasRequest: false };
  const hasRequest = parsed.messages.some((m) => classifyMessage(m).kind === 'request');
  if (!parsed.isBatch) return { parsed: parsed.value, texts: [text], hasRequest };
  return { parsed: parsed.value, texts: parsed.messages.map((m) => JSON.stringify(m)), hasRequest };
}

function headerRecord(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}
