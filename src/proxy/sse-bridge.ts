import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CaptureSink } from '../core/capture-events.js';
import { GatewayError, RpcErrorCode } from '../core/errors.js';
import { classifyMessage, parseJsonBody, singleRequestId } from '../core/jsonrpc.js';
import { REPLAY_HEADER, replayOfHeader } from '../core/replay-mark.js';
import type { MessageStage } from '../intercept/stage.js';
import { ExchangeCapture } from './exchange-capture.js';
import { replyWithError } from './gateway-reply.js';
import { answerLegacyServer } from './legacy-answer.js';
import { legacyUpstreamHeaders } from './legacy-headers.js';
import { LegacySseUpstream } from './legacy-sse-upstream.js';
import { SseBridgeSession } from './sse-bridge-session.js';
import { StagedStream } from './staged-stream.js';
import type { HttpUpstream, UpstreamPools } from './upstream.js';
import { headerMapOf, relayWebResponse, toWebRequest } from './web-response.js';

export interface SseBridgeOptions {
  pools: UpstreamPools;
  sink: CaptureSink;
  maxCaptureBytes: number;
  /** Each session holds an upstream stream open: past this many, the least recently active one ends. */
  maxSessions: number;
  /** A session unused this long (no message, no request waiting, no GET stream) ends when another opens. */
  idleMs: number;
  /** Breakpoints and faults (intercept/stage.ts) for what the server sends (the proxy stages the rest). */
  stage?: MessageStage;
}

/**
 * Streamable HTTP clients of one legacy HTTP+SSE server (MCP 2024-11-05). Each session the gateway mints
 * gets its own upstream stream, so two clients' ids, answers and server requests never mix. Everything the
 * client sends and receives is captured as the HTTP exchanges it made with the gateway.
 */
export class SseBridge {
  readonly #server: string;
  readonly #options: SseBridgeOptions;
  readonly #sessions = new Map<string, SseBridgeSession>();

  constructor(server: string, options: SseBridgeOptions) {
    this.#server = server;
    this.#options = options;
  }

  get sessions(): number {
    return this.#sessions.size;
  }

  handle(req: IncomingMessage, res: ServerResponse, body: Buffer | null, upstream: HttpUpstream): void {
    this.#handle(req, res, body, upstream).catch((error: unknown) => {
      const failure =
        error instanceof GatewayError
          ? error
          : new GatewayError(500, `Internal error in the gateway: ${(error as Error).message}`);
      const capture = this.#capture(req, body);
      const id = body ? singleRequestId(parseJsonBody(body.toString('utf8'))) : null;
      replyWithError(res, failure, id, capture);
    });
  }

  async #handle(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer | null,
    upstream: HttpUpstream,
  ): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId !== 'string') {
      if (req.method === 'POST' && body && isInitialize(body)) {
        await this.#open(req, res, body, upstream);
        return;
      }
      throw new GatewayError(
        400,
        `Bad Request: Mcp-Session-Id header is required. "${this.#server}" is a legacy HTTP+SSE server, reached through gateway sessions: start one with an initialize request.`,
      );
    }
    const session = this.#sessions.get(sessionId);
    if (!session || session.closed) {
      throw new GatewayError(
        404,
        `Session not found: session ${sessionId} of "${this.#server}" has ended (DELETE, the server closed its stream, or a gateway restart). Start a new session with initialize.`,
        { rpcCode: RpcErrorCode.ConnectionClosed },
      );
    }
    await this.#relay(session, req, res, body);
  }

  async #open(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    upstream: HttpUpstream,
  ): Promise<void> {
    const session = new SseBridgeSession((s) => this.#sessions.delete(s.id));
    let connection: LegacySseUpstream;
    try {
      connection = await LegacySseUpstream.open(
        upstream,
        this.#options.pools,
        legacyUpstreamHeaders(req.rawHeaders, upstream.headers),
        { onEvent: (event) => session.fromServer(event), onClose: (error) => session.upstreamClosed(error) },
      );
    } catch (error) {
      session.close();
      throw error;
    }
    session.attach(connection);
    session.staged = this.#stagedStream(session, connection);
    this.#sessions.set(session.id, session);
    this.#endIdle();
    this.#evictBeyondLimit();
    const status = await this.#relay(session, req, res, body);
    if (status >= 400) session.close();
  }

  /** Hands a request to the session's transport and writes its answer; returns the HTTP status. */
  async #relay(
    session: SseBridgeSession,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer | null,
  ): Promise<number> {
    const texts = body ? messageTexts(body) : null;
    const tag = texts ? session.expectPost(texts.texts) : {};
    const capture = this.#capture(req, body);
    let response: Response;
    try {
      response = await session.transport.handleRequest(
        toWebRequest(req, tag),
        texts ? { parsedBody: texts.parsed } : undefined,
      );
    } finally {
      session.forgetPost(tag);
    }
    // MCP Streamable HTTP, "Listening for Messages from the Server": the client's GET stream.
    if (req.method === 'GET' && response.status === 200) {
      session.standaloneOpened();
      res.once('close', () => session.standaloneClosed());
    }
    await relayWebResponse(res, response, capture, response.status >= 400 ? 'gateway' : 'upstream');
    return response.status;
  }

  /**
   * The server's messages at the message stage. What the stage changes reaches the client through the
   * session's transport, recorded as the client's exchanges record everything; an answer given to the
   * server's own request in the client's place is POSTed and captured as the gateway's.
   */
  #stagedStream(session: SseBridgeSession, connection: LegacySseUpstream): StagedStream | null {
    const stage = this.#options.stage;
    if (!stage) return null;
    return new StagedStream({
      stage,
      context: {
        server: this.#server,
        direction: 'server_to_client',
        sessionId: session.id,
        transport: 'http-sse',
      },
      send: (text) => session.deliverText(text),
      answerServer: (text) =>
        answerLegacyServer(
          connection,
          { sink: this.#options.sink, maxCaptureBytes: this.#options.maxCaptureBytes },
          this.#server,
          session.id,
          text,
        ),
      cut: () => session.close(),
      pause: () => connection.pause(),
      resume: () => connection.resume(),
    });
  }

  #capture(req: IncomingMessage, body: Buffer | null): ExchangeCapture {
    const capture = new ExchangeCapture(this.#options.sink, this.#options.maxCaptureBytes);
    const sessionId = req.headers['mcp-session-id'];
    capture.start(
      this.#server,
      req.method ?? 'POST',
      typeof sessionId === 'string' ? sessionId : null,
      headerMapOf(req),
      [],
      body,
      undefined,
      undefined,
      undefined,
      // The gateway's own replay of a record (core/replay-mark.ts) is linked to it, as on any server.
      replayOfHeader(req.headers[REPLAY_HEADER]),
    );
    return capture;
  }

  /** Clients that vanish without DELETE would otherwise hold their upstream streams open for ever. */
  #endIdle(now = Date.now()): void {
    for (const session of [...this.#sessions.values()]) {
      if (session.busy || now - session.lastActive < this.#options.idleMs) continue;
      this.#sessions.delete(session.id);
      session.close();
    }
  }

  #evictBeyondLimit(): void {
    while (this.#sessions.size > this.#options.maxSessions) {
      let oldest: SseBridgeSession | undefined;
      for (const session of this.#sessions.values()) {
        if (!oldest || session.lastActive < oldest.lastActive) oldest = session;
      }
      if (!oldest) return;
      this.#sessions.delete(oldest.id);
      oldest.close();
    }
  }

  /** Ends every session and its upstream stream (server removed or changed, shutdown). */
  closeAll(): void {
    for (const session of [...this.#sessions.values()]) session.close();
    this.#sessions.clear();
  }
}

function isInitialize(body: Buffer): boolean {
  const parsed = parseJsonBody(body.toString('utf8'));
  if (!parsed.ok) return false;
  return parsed.messages.some((m) => {
    const shape = classifyMessage(m);
    return shape.kind === 'request' && shape.method === 'initialize';
  });
}

/** The messages of a POST body as the client wrote them: the body itself, or each element of a batch. */
function messageTexts(body: Buffer): { parsed: unknown; texts: string[] } {
  const text = body.toString('utf8');
  const parsed = parseJsonBody(text);
  if (!parsed.ok) return { parsed: undefined, texts: [] };
  if (!parsed.isBatch) return { parsed: parsed.value, texts: [text] };
  return { parsed: parsed.value, texts: parsed.messages.map((m) => JSON.stringify(m)) };
}
