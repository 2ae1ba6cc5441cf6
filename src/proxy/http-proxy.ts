import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Dispatcher } from 'undici';
import type { CaptureSink } from '../core/capture-events.js';
import { now } from '../core/clock.js';
import { GatewayError, type JsonRpcId, RpcErrorCode } from '../core/errors.js';
import { mediaType } from '../core/headers.js';
import { classifyMessage, parseJsonBody, singleRequestId } from '../core/jsonrpc.js';
import type { RecordOrigin } from '../core/record.js';
import { REPLAY_HEADER, replayOfHeader } from '../core/replay-mark.js';
import type { MessageStage } from '../intercept/stage.js';
import type { StageContext } from '../intercept/staged-message.js';
import { bodyMode, ExchangeCapture } from './exchange-capture.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './forward-headers.js';
import { replyWithError } from './gateway-reply.js';
import { LegacySseClients } from './legacy-sse-clients.js';
import type { OAuthMemory } from './oauth-memory.js';
import type { ProxyGate } from './proxy-gate.js';
import { discardRequestBody, readRequestBody } from './request-body.js';
import type { ProxyRoute } from './route.js';
import { SseBridge } from './sse-bridge.js';
import { stageRequest } from './staged-request.js';
import { StagedResponse } from './staged-response.js';
import type { HttpUpstream, UpstreamPools } from './upstream.js';
import { upstreamFailure } from './upstream-errors.js';
import { rewriteResourceMetadata } from './www-authenticate.js';

/**
 * A request the proxy can hand to something other than an HTTP upstream (a stdio server). `arrived` is
 * when the gateway had the whole request (core/clock.ts), for the gateway's share of its time.
 */
export type LocalHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer | null,
  arrived: number,
  /** Set when the message stage changed the body (a breakpoint's edit): its records say so. */
  origin?: RecordOrigin,
) => void;

export type ProxyTarget =
  | { kind: 'http'; upstream: HttpUpstream }
  /** A legacy HTTP+SSE server (MCP 2024-11-05), bridged for Streamable HTTP clients. */
  | { kind: 'sse'; upstream: HttpUpstream }
  | { kind: 'local'; handle: LocalHandler };

/**
 * What proxied traffic shows of an HTTP upstream's health: it answered (with this status), or it could not
 * be reached / did not answer (the error the client was sent). Called on the proxy's path: must be cheap.
 */
export type UpstreamOutcome =
  | { reached: true; status: number }
  | { reached: false; status: number; detail: string };

export interface HttpProxyOptions {
  resolve: (name: string) => ProxyTarget | undefined;
  serverNames: () => string[];
  pools: UpstreamPools;
  capture: CaptureSink;
  oauth: OAuthMemory;
  maxBodyBytes: number;
  maxCaptureBytes: number;
  onUpstreamOutcome?: (server: string, outcome: UpstreamOutcome) => void;
  /** Over HTTPS: a fetch that trusts the gateway's own certificate (legacy clients' loopback leg). */
  selfFetch?: typeof fetch;
  /** Rate limits and session caps, asked before anything is forwarded; absent, nothing is limited. */
  gate?: ProxyGate;
  /** Breakpoints and faults (intercept/stage.ts); asked only whether it is armed, unless it is. */
  stage?: MessageStage;
}

interface OpenExchange {
  controller: Dispatcher.DispatchController | null;
  res: ServerResponse;
  /** A standalone GET stream: open until someone closes it, so shutdown closes it rather than waiting. */
  stream: boolean;
}

const ALLOWED_METHODS = 'GET, POST, DELETE';

/** Each bridged session holds a stream open to its legacy server; this bounds them per server. */
const MAX_BRIDGED_SESSIONS = 200;
const BRIDGED_SESSION_IDLE_MS = 30 * 60_000;

/**
 * The MCP Streamable HTTP proxy (MCP spec 2025-06-18 and 2025-11-25, "Transports"). POST bodies are
 * validated and forwarded byte for byte; responses, JSON or SSE, stream through chunk by chunk as the
 * upstream sends them, with a copy going to capture. The proxy never waits for capture.
 */
export class HttpProxy {
  readonly #options: HttpProxyOptions;
  readonly #open = new Set<OpenExchange>();
  readonly #bridges = new Map<string, SseBridge>();

  readonly #legacyClients: LegacySseClients;

  constructor(options: HttpProxyOptions) {
    this.#options = options;
    this.#legacyClients = new LegacySseClients(options);
  }

  get openExchanges(): number {
    return this.#open.size;
  }

  handle(req: IncomingMessage, res: ServerResponse, route: ProxyRoute): void {
    if (route.endpoint !== 'mcp') {
      this.#legacyClients.handle(req, res, route);
      return;
    }
    const target = this.#options.resolve(route.name);
    if (!target) {
      const names = this.#options.serverNames();
      const known =
        names.length > 0 ? `Registered servers: ${names.join(', ')}.` : 'No servers are registered yet.';
      replyWithError(
        res,
        new GatewayError(
          404,
          `Unknown server "${route.name}". ${known} Register it with POST /api/servers/config or in mcp.json.`,
        ),
        null,
        null,
      );
      return;
    }
    const method = req.method ?? 'GET';
    if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') {
      replyWithError(
        res,
        new GatewayError(
          405,
          `Method ${method} is not part of MCP Streamable HTTP: use POST, GET or DELETE.`,
          {
            headers: { allow: ALLOWED_METHODS },
          },
        ),
        null,
        null,
      );
      return;
    }
    if (method !== 'POST') {
      // GET and DELETE carry no request to limit; the gate only notes the session they use.
      this.#admit(req, res, route.name, null);
      this.#dispatch(req, res, route, target, null, null, now());
      return;
    }
    readRequestBody(req, this.#options.maxBodyBytes).then(
      // The clock starts once the body is in: the client's upload is not the gateway's time.
      (body) => this.#post(req, res, route, target, body, now()),
      (error: unknown) => {
        if (error instanceof GatewayError) {
          // The answer goes out now; the connection closes only once the rest of the body is read.
          const capture = this.#startCapture(req, route.name, target, null);
          replyWithError(res, error, null, capture, {}, () => {
            void discardRequestBody(req).then(() => res.end());
          });
        } else {
          // The client went away mid-body; there is nobody left to answer.
          res.destroy();
        }
      },
    );
  }

  #post(
    req: IncomingMessage,
    res: ServerResponse,
    route: ProxyRoute,
    target: ProxyTarget,
    body: Buffer,
    arrived: number,
  ): void {
    // MCP Streamable HTTP, "Sending Messages to the Server": the body is a JSON-RPC message as application/json.
    const contentType = mediaType(req.headers['content-type']);
    if (contentType !== 'application/json') {
      const capture = this.#startCapture(req, route.name, target, body);
      const got = req.headers['content-type'] ? `"${req.headers['content-type']}"` : 'none';
      replyWithError(
        res,
        new GatewayError(
          415,
          `Content-Type must be application/json for MCP messages (got ${got}). Send the JSON-RPC message as application/json.`,
        ),
        null,
        capture,
      );
      return;
    }
    const text = body.toString('utf8');
    const parsed = parseJsonBody(text);
    if (!parsed.ok) {
      const capture = this.#startCapture(req, route.name, target, body);
      replyWithError(
        res,
        new GatewayError(
          400,
          `Parse error: the body is not valid JSON (${parsed.error}). Send one JSON-RPC message or a batch.`,
          {
            rpcCode: RpcErrorCode.ParseError,
          },
        ),
        null,
        capture,
      );
      return;
    }
    const refusal = this.#admit(req, res, route.name, parsed.messages);
    if (refusal) {
      // Answered and captured like any other answer: the record shows the request and why it went no further.
      const capture = this.#startCapture(req, route.name, target, body, text);
      replyWithError(res, refusal, singleRequestId(parsed), capture);
      return;
    }
    const stage = this.#options.stage;
    // One check when nothing is armed. JSON-RPC batches (gone from MCP since 2025-06-18) pass unstaged.
    if (stage?.armed && !parsed.isBatch) {
      stageRequest(res, this.#stageContext(req, route.name, target), body, text, parsed.value, {
        stage,
        forward: (sent, sentText, origin) =>
          this.#dispatch(req, res, route, target, sent, singleRequestId(parsed), arrived, sentText, origin),
        capture: () => this.#startCapture(req, route.name, target, body, text),
      });
      return;
    }
    this.#dispatch(req, res, route, target, body, singleRequestId(parsed), arrived, text);
  }

  #stageContext(req: IncomingMessage, server: string, target: ProxyTarget): StageContext {
    const version = req.headers['mcp-protocol-version'];
    return {
      server,
      direction: 'client_to_server',
      sessionId: sessionHeader(req),
      transport: target.kind === 'local' ? 'stdio' : 'http-json',
      protocolVersion: typeof version === 'string' ? version : null,
      userAgent: req.headers['user-agent'] ?? null,
    };
  }

  /** The gate's verdict on a client's request; it may ask to hear how the request was answered. */
  #admit(
    req: IncomingMessage,
    res: ServerResponse,
    server: string,
    messages: readonly unknown[] | null,
  ): GatewayError | null {
    const gate = this.#options.gate;
    if (!gate) return null;
    return gate.admit(
      {
        server,
        client: req.socket.remoteAddress ?? 'unknown',
        httpMethod: req.method ?? 'GET',
        sessionId: sessionHeader(req),
        messages,
      },
      (listener) => res.once('finish', () => listener(res.statusCode)),
    );
  }

  #startCapture(
    req: IncomingMessage,
    server: string,
    target: ProxyTarget,
    body: Buffer | null,
    text?: string,
  ): ExchangeCapture {
    const capture = new ExchangeCapture(this.#options.capture, this.#options.maxCaptureBytes);
    const configured = target.kind === 'local' ? {} : target.upstream.headers;
    const headers = upstreamRequestHeaders(req.rawHeaders, configured);
    capture.start(
      server,
      req.method ?? 'GET',
      sessionHeader(req),
      headers.map,
      headers.configured,
      body,
      text,
    );
    return capture;
  }

  #dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    route: ProxyRoute,
    target: ProxyTarget,
    body: Buffer | null,
    requestId: JsonRpcId,
    arrived: number,
    text?: string,
    origin?: RecordOrigin,
  ): void {
    if (target.kind === 'local') {
      target.handle(req, res, body, arrived, origin);
      return;
    }
    if (target.kind === 'sse') {
      this.#bridge(route.name).handle(req, res, body, target.upstream);
      return;
    }
    const { upstream } = target;
    const headers = upstreamRequestHeaders(req.rawHeaders, upstream.headers);
    const capture = new ExchangeCapture(this.#options.capture, this.#options.maxCaptureBytes);
    const method = req.method ?? 'GET';
    capture.start(
      upstream.name,
      method,
      sessionHeader(req),
      headers.map,
      headers.configured,
      body,
      text,
      arrived,
      origin,
      replayOfHeader(req.headers[REPLAY_HEADER]),
    );

    const open: OpenExchange = { controller: null, res, stream: method === 'GET' };
    this.#open.add(open);
    let clientGone = false;
    const finish = () => {
      this.#open.delete(open);
      res.off('close', onClientClose);
    };
    const onClientClose = () => {
      if (res.writableFinished) return;
      // A client that disconnects aborts its upstream request: nobody is left to read the answer.
      clientGone = true;
      open.controller?.abort(new Error('client disconnected'));
      // A stream only the client ends (its GET stream; a 2026 subscriptions/listen) ended as it should.
      capture.end(clientEndsIt(method, body) ? null : 'client disconnected before the response was complete');
      finish();
    };
    res.on('close', onClientClose);

    const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
    const gatewayMetadataUrl = `${scheme}://${req.headers.host}/.well-known/oauth-protected-resource${route.path}`;
    const rewriteChallenge = (name: string, value: string): string => {
      if (name !== 'www-authenticate') return value;
      const rewritten = rewriteResourceMetadata(value, gatewayMetadataUrl);
      if (rewritten.upstreamMetadataUrl) {
        this.#options.oauth.rememberMetadataUrl(upstream.name, rewritten.upstreamMetadataUrl);
      }
      return rewritten.value;
    };

    const onOutcome = this.#options.onUpstreamOutcome;
    const failed = (error: unknown) => {
      const failure = upstreamFailure(error, upstream);
      onOutcome?.(upstream.name, { reached: false, status: failure.status, detail: failure.message });
      replyWithError(res, failure, requestId, capture);
    };
    let holdLastChunk = false;
    let held: Buffer | null = null;
    let forwarded = 0;
    const stage = this.#options.stage;
    const maxBodyBytes = this.#options.maxBodyBytes;
    const answerUpstream = (message: unknown) =>
      this.#answerUpstream(req, upstream, route, headers.list, message);
    /** Set while the stage is armed: the answer is staged before the client gets it. */
    let staged: StagedResponse | null = null;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        open.controller = controller;
        if (clientGone) controller.abort(new Error('client disconnected'));
      },
      onResponseStart(controller, statusCode, responseHeaders) {
        const out = clientResponseHeaders(
          responseHeaders,
          'www-authenticate' in responseHeaders ? rewriteChallenge : null,
        );
        const mode = bodyMode(responseHeaders['content-type'], statusCode);
        if (stage?.armed && (mode === 'json' || mode === 'sse')) {
          staged = new StagedResponse({
            stage,
            res,
            capture,
            maxBytes: maxBodyBytes,
            context: {
              server: upstream.name,
              direction: 'server_to_client',
              sessionId: sessionHeader(req) ?? headerText(responseHeaders['mcp-session-id']),
              transport: mode === 'json' ? 'http-json' : method === 'GET' ? 'http-get-sse' : 'http-sse',
              httpStatus: statusCode,
              answers: requestMethod(text),
            },
            answerServer: (message) => answerUpstream(message),
          });
          staged.start(statusCode, out, mode === 'sse');
        }
        holdLastChunk = mode !== 'sse';
        // A staged JSON answer keeps its headers until the verdict (an edit changes its length).
        if (!staged || mode === 'sse') res.writeHead(statusCode, out);
        // SSE: let the client see the headers now; events follow whenever the upstream sends them.
        if (mode === 'sse') res.flushHeaders();
        capture.responseStart(statusCode, out, mode, 'upstream', forwarded);
        open.controller = controller;
        onOutcome?.(upstream.name, { reached: true, status: statusCode });
      },
      onResponseData(controller, chunk) {
        const received = now();
        if (staged) {
          staged.data(controller, chunk, received);
          return;
        }
        // A JSON body is only useful whole, so its last chunk can wait for the end and leave with it in one
        // write. SSE events never wait: each goes to the client the moment it arrives.
        let out: Buffer | null = chunk;
        if (holdLastChunk) {
          out = held;
          held = chunk;
        }
        // Backpressure: a slow client pauses the upstream instead of growing a buffer here.
        if (out !== null && !res.write(out)) {
          controller.pause();
          res.once('drain', () => controller.resume());
        }
        // Captured once the client has it: capture's copy does not delay the client.
        capture.chunk(chunk, received);
      },
      onResponseEnd() {
        const received = now();
        if (staged) {
          staged.end(received, finish);
          return;
        }
        finish();
        if (held) res.end(held);
        else res.end();
        capture.end(null, received);
      },
      onResponseError(_controller, error) {
        finish();
        if (clientGone) return;
        if (!res.headersSent) {
          failed(error);
          return;
        }
        // Headers are gone; cutting the connection is the only honest way to tell the client the stream broke.
        res.destroy();
        capture.end(`upstream ${upstream.url.href} broke off the response: ${error.message}`);
      },
    };

    const path = upstreamPath(upstream.url, route.query);
    // Handed to the upstream's pool: on a kept-alive connection undici writes it to the socket at once;
    // opening a connection (TCP, TLS) is part of the way to the upstream, so counts as the upstream's time.
    forwarded = now();
    try {
      this.#options.pools.get(upstream).dispatch(
        {
          path,
          method: method as Dispatcher.HttpMethod,
          headers: headers.list,
          body,
          headersTimeout: upstream.responseTimeoutMs,
          bodyTimeout: 0,
        },
        handler,
      );
    } catch (error) {
      finish();
      failed(error);
    }
  }

  /**
   * Sends the server an answer to one of its requests in the client's place (a breakpoint's reply or
   * drop), on the client's session: a POST like the client's own (MCP Streamable HTTP, "Sending Messages
   * to the Server"), recorded as an exchange whose message the gateway wrote.
   */
  #answerUpstream(
    req: IncomingMessage,
    upstream: HttpUpstream,
    route: ProxyRoute,
    clientHeaders: readonly string[],
    message: unknown,
  ): void {
    const body = Buffer.from(JSON.stringify(message));
    const headers: string[] = [];
    for (let i = 0; i + 1 < clientHeaders.length; i += 2) {
      const name = (clientHeaders[i] as string).toLowerCase();
      if (name === 'accept' || name === 'content-type' || name === 'last-event-id') continue;
      headers.push(clientHeaders[i] as string, clientHeaders[i + 1] as string);
    }
    headers.push('content-type', 'application/json', 'accept', 'application/json, text/event-stream');
    const capture = new ExchangeCapture(this.#options.capture, this.#options.maxCaptureBytes);
    const map = upstreamRequestHeaders(headers, {});
    capture.start(
      upstream.name,
      'POST',
      sessionHeader(req),
      map.map,
      [],
      body,
      undefined,
      undefined,
      'injected',
    );
    this.#options.pools
      .get(upstream)
      .request({
        path: upstreamPath(upstream.url, route.query),
        method: 'POST',
        headers,
        body,
        headersTimeout: upstream.responseTimeoutMs,
      })
      .then(async (response) => {
        const text = await response.body.text();
        const out = clientResponseHeaders(response.headers, null);
        capture.responseStart(
          response.statusCode,
          out,
          bodyMode(response.headers['content-type'], response.statusCode),
          'upstream',
        );
        if (text) capture.chunk(Buffer.from(text));
        capture.end(null);
      })
      .catch((error: unknown) =>
        capture.end(`the gateway's answer did not reach the server: ${(error as Error).message}`),
      );
  }

  #bridge(name: string): SseBridge {
    let bridge = this.#bridges.get(name);
    if (!bridge) {
      bridge = new SseBridge(name, {
        pools: this.#options.pools,
        sink: this.#options.capture,
        maxCaptureBytes: this.#options.maxCaptureBytes,
        maxSessions: MAX_BRIDGED_SESSIONS,
        idleMs: BRIDGED_SESSION_IDLE_MS,
        ...(this.#options.stage ? { stage: this.#options.stage } : {}),
      });
      this.#bridges.set(name, bridge);
    }
    return bridge;
  }

  /** A server removed or changed: its bridged sessions and legacy client streams end with it. */
  forgetServer(name: string): void {
    this.#bridges.get(name)?.closeAll();
    this.#bridges.delete(name);
    this.#legacyClients.forget(name);
  }

  /** Ends open GET streams (shutdown): they never finish on their own. Returns how many were closed. */
  closeStreams(): number {
    let closed = 0;
    for (const bridge of this.#bridges.values()) {
      closed += bridge.sessions;
      bridge.closeAll();
    }
    closed += this.#legacyClients.closeAll();
    for (const open of this.#open) {
      if (!open.stream) continue;
      open.controller?.abort(new Error('gateway shutting down'));
      open.res.end();
      closed++;
    }
    return closed;
  }
}

function headerText(value: string | string[] | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

/** The method of the single request a body carries (what its answer answers), for staging the answer. */
function requestMethod(text: string | undefined): string | null {
  if (text === undefined) return null;
  const parsed = parseJsonBody(text);
  return parsed.ok && !parsed.isBatch ? classifyMessage(parsed.value).method : null;
}

function sessionHeader(req: IncomingMessage): string | null {
  const value = req.headers['mcp-session-id'];
  return typeof value === 'string' ? value : null;
}

/** The upstream's own path and query, plus any query the client added to the proxy URL. */
function upstreamPath(url: URL, clientQuery: string): string {
  if (!clientQuery) return `${url.pathname}${url.search}`;
  return `${url.pathname}${url.search ? `${url.search}&` : '?'}${clientQuery}`;
}

/**
 * Streams that end when the client closes them: the GET stream (MCP Streamable HTTP, "Listening for
 * Messages from the Server") and, in MCP 2026-07-28, the response stream of `subscriptions/listen`.
 */
function clientEndsIt(method: string, body: Buffer | null): boolean {
  if (method === 'GET') return true;
  if (method !== 'POST' || !body || body.length > 64 * 1024) return false;
  const parsed = parseJsonBody(body.toString('utf8'));
  if (!parsed.ok || parsed.isBatch) return false;
  const shape = classifyMessage(parsed.value);
  return shape.kind === 'request' && shape.method === 'subscriptions/listen';
}
