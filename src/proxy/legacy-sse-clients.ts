import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventSourceMessage } from 'eventsource-parser';
import type { CaptureSink } from '../core/capture-events.js';
import { GatewayError, RpcErrorCode } from '../core/errors.js';
import { parseJsonBody, singleRequestId } from '../core/jsonrpc.js';
import type { RecordOrigin } from '../core/record.js';
import type { MessageStage } from '../intercept/stage.js';
import { ExchangeCapture } from './exchange-capture.js';
import { replyWithError } from './gateway-reply.js';
import type { ProxyTarget } from './http-proxy.js';
import { answerLegacyServer } from './legacy-answer.js';
import { legacyUpstreamHeaders } from './legacy-headers.js';
import { BridgedSseClients } from './legacy-sse-bridged.js';
import { LegacySseUpstream } from './legacy-sse-upstream.js';
import type { ProxyGate } from './proxy-gate.js';
import { readRequestBody } from './request-body.js';
import { legacyPaths, type ProxyRoute } from './route.js';
import { stageRequest } from './staged-request.js';
import { StagedStream } from './staged-stream.js';
import type { UpstreamPools } from './upstream.js';
import { headerMapOf } from './web-response.js';

export interface LegacySseClientsOptions {
  resolve: (name: string) => ProxyTarget | undefined;
  pools: UpstreamPools;
  capture: CaptureSink;
  maxBodyBytes: number;
  maxCaptureBytes: number;
  /** Over HTTPS: a fetch that trusts the gateway's own certificate, for bridged clients' loopback leg. */
  selfFetch?: typeof fetch;
  gate?: ProxyGate;
  /** Breakpoints and faults (intercept/stage.ts), for both directions of a legacy client's session. */
  stage?: MessageStage;
}

interface OpenStream {
  server: string;
  connection: LegacySseUpstream;
  res: ServerResponse;
  /** The server's messages at the message stage; null when the gateway has no stage. */
  staged: StagedStream | null;
}

/**
 * Clients of the HTTP+SSE transport (MCP 2024-11-05, "HTTP with SSE"). In front of a legacy server: the
 * client's GET `/s/<name>/sse` opens a stream to the server, passed through event by event, except that
 * the `endpoint` event points back through the gateway (`/s/<name>/message?sessionId=…`), where the
 * client's POSTs are forwarded to the endpoint the server named. Both directions are captured under the
 * gateway's session id. In front of any other server, the gateway bridges (see legacy-sse-bridged.ts).
 */
export class LegacySseClients {
  readonly #options: LegacySseClientsOptions;
  readonly #streams = new Map<string, OpenStream>();
  readonly #bridged: BridgedSseClients;

  constructor(options: LegacySseClientsOptions) {
    this.#options = options;
    this.#bridged = new BridgedSseClients(options.selfFetch);
  }

  handle(req: IncomingMessage, res: ServerResponse, route: ProxyRoute): void {
    const target = this.#options.resolve(route.name);
    const method = req.method ?? 'GET';
    const wanted = route.endpoint === 'sse' ? 'GET' : 'POST';
    if (!target) {
      const unknown = `Unknown server "${route.name}". Register it with POST /api/servers/config or in mcp.json.`;
      replyWithError(res, new GatewayError(404, unknown), null, null);
      return;
    }
    if (method !== wanted) {
      const only = `${route.path} takes ${wanted} only (MCP 2024-11-05 HTTP+SSE: GET the /sse stream, POST to the endpoint it names).`;
      replyWithError(res, new GatewayError(405, only, { headers: { allow: wanted } }), null, null);
      return;
    }
    if (route.endpoint === 'message') this.#message(req, res, route);
    else if (target.kind === 'sse') void this.#openStream(req, res, route, target);
    // Streamable HTTP and stdio servers: the gateway speaks the old transport to the client itself.
    else void this.#bridged.open(req, res, route);
  }

  async #openStream(
    req: IncomingMessage,
    res: ServerResponse,
    route: ProxyRoute,
    target: Extract<ProxyTarget, { kind: 'sse' }>,
  ): Promise<void> {
    const id = randomUUID();
    const capture = this.#capture(req, route.name, id, null);
    const early: EventSourceMessage[] = [];
    let ready = false;
    const write = (text: string, origin?: RecordOrigin) => {
      const chunk = Buffer.from(text);
      capture.chunk(chunk, undefined, origin);
      res.write(chunk);
    };
    const send = (event: EventSourceMessage) => write(serializeEvent(event));
    let connection: LegacySseUpstream | null = null;
    const staged = this.#stagedStream(req, res, route.name, id, () => connection, write, capture);
    const relay = (event: EventSourceMessage) => {
      if (!staged?.offer(event.data, () => send(event))) send(event);
    };
    try {
      connection = await LegacySseUpstream.open(
        target.upstream,
        this.#options.pools,
        legacyUpstreamHeaders(req.rawHeaders, target.upstream.headers),
        {
          onEvent: (event) => (ready ? relay(event) : early.push(event)),
          onClose: (error) => {
            this.#streams.delete(id);
            staged?.end();
            res.end();
            capture.end(error ? `the server's SSE stream broke: ${error}` : null);
          },
        },
      );
    } catch (error) {
      const failure = error instanceof GatewayError ? error : new GatewayError(502, String(error));
      replyWithError(res, failure, null, capture);
      return;
    }
    const open = connection;
    if (res.destroyed) {
      open.close();
      capture.end(null);
      return;
    }
    this.#streams.set(id, { server: route.name, connection: open, res, staged });
    res.once('close', () => {
      // A client closing its stream ends its session: the normal end in this transport.
      this.#streams.delete(id);
      staged?.end();
      open.close();
      capture.end(null);
    });
    const headers = {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    };
    res.writeHead(200, headers);
    res.flushHeaders();
    capture.responseStart(200, headers, 'sse', 'upstream');
    send({ event: 'endpoint', data: `${legacyPaths(route).message}?sessionId=${id}`, id: undefined });
    ready = true;
    for (const event of early.splice(0)) relay(event);
  }

  /**
   * The server's messages on a legacy client's stream, at the message stage: an edited or injected one
   * goes out as a `message` event the gateway wrote, and is recorded so; an answer to a server's request
   * given in the client's place is POSTed to the server and captured as the gateway's.
   */
  #stagedStream(
    req: IncomingMessage,
    res: ServerResponse,
    server: string,
    sessionId: string,
    connection: () => LegacySseUpstream | null,
    write: (text: string, origin?: RecordOrigin) => void,
    capture: ExchangeCapture,
  ): StagedStream | null {
    const stage = this.#options.stage;
    if (!stage) return null;
    return new StagedStream({
      stage,
      context: {
        server,
        direction: 'server_to_client',
        sessionId,
        transport: 'http-get-sse',
        userAgent: req.headers['user-agent'] ?? null,
      },
      send: (text, origin) => write(serializeEvent({ event: 'message', data: text, id: undefined }), origin),
      answerServer: (text) =>
        answerLegacyServer(
          connection(),
          { sink: this.#options.capture, maxCaptureBytes: this.#options.maxCaptureBytes },
          server,
          sessionId,
          text,
        ),
      cut: (reason) => {
        connection()?.close();
        res.destroy();
        capture.end(reason);
      },
      pause: () => connection()?.pause(),
      resume: () => connection()?.resume(),
    });
  }

  #message(req: IncomingMessage, res: ServerResponse, route: ProxyRoute): void {
    const id = new URLSearchParams(route.query).get('sessionId') ?? '';
    readRequestBody(req, this.#options.maxBodyBytes).then(
      (body) => {
        if (this.#refused(req, res, route.name, id, body)) return;
        if (this.#bridged.has(id, route.name)) this.#bridged.message(res, id, body);
        else this.#staged(req, res, route, id, body);
      },
      (error: unknown) => {
        if (error instanceof GatewayError)
          replyWithError(res, error, null, this.#capture(req, route.name, id, null));
        else res.destroy();
      },
    );
  }

  /**
   * A server's rate limits apply to this transport's POSTs too; the refusal goes back on the POST itself
   * (429), since a request the server never saw has no place on its stream. Its session is the client's
   * stream, which the session cap does not count.
   */
  #refused(req: IncomingMessage, res: ServerResponse, server: string, id: string, body: Buffer): boolean {
    const gate = this.#options.gate;
    if (!gate?.limits(server)) return false;
    const parsed = parseJsonBody(body.toString('utf8'));
    if (!parsed.ok) return false;
    const refusal = gate.admit(
      {
        server,
        client: req.socket.remoteAddress ?? 'unknown',
        httpMethod: 'POST',
        sessionId: null,
        messages: parsed.messages,
        legacy: true,
      },
      () => {},
    );
    if (!refusal) return false;
    replyWithError(res, refusal, singleRequestId(parsed), this.#capture(req, server, id || null, body));
    return true;
  }

  /**
   * A legacy client's POST to a legacy server, at the message stage when something is armed (as the HTTP
   * proxy stages any client's message): held, edited, answered on the POST itself, dropped or cut.
   */
  #staged(req: IncomingMessage, res: ServerResponse, route: ProxyRoute, id: string, body: Buffer): void {
    const stage = this.#options.stage;
    const text = body.toString('utf8');
    const parsed = stage?.armed ? parseJsonBody(text) : null;
    if (!stage || !parsed?.ok || parsed.isBatch) {
      void this.#forward(req, res, route, id, body);
      return;
    }
    const context = {
      server: route.name,
      direction: 'client_to_server' as const,
      sessionId: id || null,
      transport: 'http-json' as const,
      userAgent: req.headers['user-agent'] ?? null,
    };
    stageRequest(res, context, body, text, parsed.value, {
      stage,
      forward: (sent, _text, origin) => void this.#forward(req, res, route, id, sent, origin),
      capture: () => this.#capture(req, route.name, id || null, body),
    });
  }

  async #forward(
    req: IncomingMessage,
    res: ServerResponse,
    route: ProxyRoute,
    id: string,
    body: Buffer,
    origin?: RecordOrigin,
  ): Promise<void> {
    const capture = this.#capture(req, route.name, id || null, body, origin);
    const text = body.toString('utf8');
    const parsed = parseJsonBody(text);
    const requestId = singleRequestId(parsed);
    const stream = this.#streams.get(id);
    if (parsed.ok && !parsed.isBatch) stream?.staged?.requested(parsed.value);
    if (!stream || stream.server !== route.name) {
      const error = new GatewayError(
        404,
        `Session not found: no open stream of "${route.name}" has sessionId ${JSON.stringify(id)}. Open ${legacyPaths(route).sse} again and POST to the endpoint it names.`,
        { rpcCode: RpcErrorCode.ConnectionClosed },
      );
      replyWithError(res, error, requestId, capture);
      return;
    }
    try {
      const answer = await stream.connection.post(text);
      const headers: Record<string, string> = answer.contentType
        ? { 'content-type': answer.contentType }
        : {};
      const payload = Buffer.from(answer.text);
      headers['content-length'] = String(payload.length);
      res.writeHead(answer.status, headers);
      res.end(payload);
      capture.responseStart(
        answer.status,
        headers,
        payload.length > 0 && answer.status >= 400 ? 'other' : 'none',
        'upstream',
      );
      if (payload.length > 0 && answer.status >= 400) capture.chunk(payload);
      capture.end(null);
    } catch (error) {
      const failure = error instanceof GatewayError ? error : new GatewayError(502, String(error));
      replyWithError(res, failure, requestId, capture);
    }
  }

  #capture(
    req: IncomingMessage,
    server: string,
    sessionId: string | null,
    body: Buffer | null,
    origin?: RecordOrigin,
  ): ExchangeCapture {
    const capture = new ExchangeCapture(this.#options.capture, this.#options.maxCaptureBytes);
    capture.start(
      server,
      req.method ?? 'GET',
      sessionId,
      headerMapOf(req),
      [],
      body,
      undefined,
      undefined,
      origin,
    );
    return capture;
  }

  /** The streams of a removed or changed server end. */
  forget(name: string): void {
    this.#bridged.forget(name);
    for (const stream of [...this.#streams.values()]) {
      if (stream.server === name) stream.connection.close();
    }
  }

  /** Ends every stream (shutdown); returns how many. */
  closeAll(): number {
    const bridged = this.#bridged.closeAll();
    const streams = [...this.#streams.values()];
    for (const stream of streams) {
      stream.connection.close();
      stream.res.end();
    }
    this.#streams.clear();
    return streams.length + bridged;
  }
}

/** One event as the server sent it (HTML Living Standard, "Server-sent events": one `data:` line per line). */
function serializeEvent(event: EventSourceMessage): string {
  let text = '';
  if (event.event) text += `event: ${event.event}\n`;
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  for (const line of event.data.split('\n')) text += `data: ${line}\n`;
  return `${text}\n`;
}
