import {
  type InitializeResult,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { RpcErrorCode } from '../core/errors.js';
import { tooLongFailure } from './failures.js';
import {
  asObject,
  errorResponse,
  isRequestId,
  type JsonObject,
  param,
  progressTokenOf,
  withId,
  withParam,
  withProgressToken,
} from './messages.js';
import { type PendingRequest, RequestTable } from './request-table.js';
import { ServerRequests } from './server-requests.js';
import type { SessionPeer } from './session-peer.js';
import { SharedState } from './shared-state.js';
import type { StdioCapture } from './stdio-capture.js';
import { STDIO_LIMITS } from './stdio-config.js';

/** Why a request cannot be answered, as the JSON-RPC error the client receives. */
export interface Failure {
  message: string;
  data?: Record<string, unknown>;
}

export interface RouterOptions {
  /** Shared mode multiplexes many sessions over one process; isolated mode passes one session through. */
  shared: boolean;
  capture: StdioCapture;
  requestTimeoutMs: number;
  /** Writes one line to the process; false when it cannot take messages now. */
  write(line: string): boolean;
  /** Why the process cannot take messages now. */
  unavailable(): Failure;
}

export const GENERATED = 'answered by the gateway';

/**
 * Routes JSON-RPC messages between client sessions and one stdio process.
 *
 * In shared mode it multiplexes (MCP Basic, JSON-RPC ids are unique per sender and session, so they are
 * remapped): every forwarded request gets a gateway id and its progress token a gateway token; answers,
 * progress and cancellations are routed back with the client's own values restored. Requests from the
 * server go to the session with a request in flight, else the most recently active one; list_changed and
 * resource updates fan out to the sessions concerned. In isolated mode messages pass through unchanged.
 */
export class Router {
  readonly #options: RouterOptions;
  readonly #sessions = new Set<SessionPeer>();
  readonly #pending = new RequestTable();
  readonly #serverRequests: ServerRequests;
  readonly #state = new SharedState();
  #nextId = 1;
  #sequence = 0;
  #initResult: InitializeResult | null = null;

  constructor(options: RouterOptions) {
    this.#options = options;
    this.#serverRequests = new ServerRequests({
      shared: options.shared,
      capture: options.capture,
      write: (line) => options.write(line),
      captureSession: () => this.#captureSession(),
      sessions: this.#sessions,
      pending: this.#pending,
      timeoutMs: options.requestTimeoutMs,
    });
  }

  get sessions(): ReadonlySet<SessionPeer> {
    return this.#sessions;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  get serverRequests(): ServerRequests {
    return this.#serverRequests;
  }

  get state(): SharedState {
    return this.#state;
  }

  /** Shared mode: the server's answer to the gateway's own initialize, given to every session. */
  set initResult(result: InitializeResult | null) {
    this.#initResult = result;
  }

  get initResult(): InitializeResult | null {
    return this.#initResult;
  }

  attach(session: SessionPeer): void {
    this.#sessions.add(session);
  }

  /** A session ended: its requests are cancelled, and what only it asked the server for is undone. */
  detach(session: SessionPeer): void {
    if (!this.#sessions.delete(session)) return;
    for (const request of this.#pending.ofSession(session)) {
      this.#pending.remove(request);
      if (this.#options.shared) this.#cancelUpstream(request, 'the client session ended');
    }
    this.#serverRequests.sessionEnded(session);
    if (!this.#options.shared) return;
    for (const uri of this.#state.forget(session)) {
      this.#serverRequests.internal('resources/unsubscribe', { uri }).catch(() => {});
    }
  }

  // ---- from clients -------------------------------------------------------------------------------

  /** A message a session's client sent; `text` is the message as the client wrote it. */
  fromClient(session: SessionPeer, message: JSONRPCMessage, text: string): void {
    session.lastActive = Date.now();
    const object = message as JsonObject;
    if (typeof object.method === 'string') {
      if (isRequestId(object.id)) this.#clientRequest(session, object, object.id, text);
      else this.#clientNotification(session, object, text);
    } else if (isRequestId(object.id)) {
      this.#serverRequests.answered(session, object, object.id, text);
    }
  }

  #clientRequest(session: SessionPeer, message: JsonObject, id: RequestId, text: string): void {
    if (!this.#options.shared) {
      this.#forward(session, message, id, text);
      return;
    }
    switch (message.method) {
      case 'initialize':
        this.#answerInitialize(session, message, id);
        return;
      case 'resources/unsubscribe': {
        const uri = String(param(message, 'uri'));
        if (this.#state.othersSubscribed(session, uri)) {
          // Other sessions still want updates for this resource: the server stays subscribed.
          this.#state.unsubscribe(session, uri);
          const answer: JSONRPCMessage = { jsonrpc: '2.0', id, result: {} };
          session.deliver(answer, JSON.stringify(answer), id, `${GENERATED}: other sessions still subscribe`);
          return;
        }
        break;
      }
      case 'logging/setLevel': {
        this.#state.setLevel(session, param(message, 'level') as never);
        const level = this.#state.serverLevel();
        this.#forward(session, level ? withParam(message, 'level', level) : message, id, text);
        return;
      }
    }
    this.#forward(session, message, id, text);
  }

  #answerInitialize(session: SessionPeer, message: JsonObject, id: RequestId): void {
    const params = asObject(message.params);
    session.clientCapabilities = (asObject(params?.capabilities) as SessionPeer['clientCapabilities']) ?? {};
    const result = this.#initResult;
    const answer: JSONRPCMessage = result
      ? { jsonrpc: '2.0', id, result }
      : errorResponse(id, RpcErrorCode.GatewayFailure, this.#options.unavailable().message);
    session.deliver(answer, JSON.stringify(answer), id, `${GENERATED} from the server's initialize result`);
  }

  #clientNotification(session: SessionPeer, message: JsonObject, text: string): void {
    if (!this.#options.shared) {
      this.#send(text, message);
      return;
    }
    switch (message.method) {
      case 'notifications/initialized':
        // The gateway initialized the process once; a session's handshake ends here. A client that can
        // list roots may have new ones: the server is told, and asks the most recently active session.
        if (session.clientCapabilities?.roots) {
          this.#serverRequests.notifyServer('notifications/roots/list_changed');
        }
        return;
      case 'notifications/cancelled': {
        const requestId = param(message, 'requestId');
        const request = isRequestId(requestId) ? this.#pending.byClientId(session, requestId) : undefined;
        if (!request) return;
        request.cancelled = true;
        this.#send(JSON.stringify(withParam(message, 'requestId', request.upstreamId)), message);
        return;
      }
    }
    this.#send(text, message);
  }

  #forward(session: SessionPeer, message: JsonObject, clientId: RequestId, text: string): void {
    const shared = this.#options.shared;
    const upstreamId = shared ? this.#nextId++ : clientId;
    const clientToken = progressTokenOf(message);
    const upstreamToken = clientToken !== undefined && shared ? upstreamId : clientToken;
    let outgoing = message;
    if (shared) {
      outgoing = withId(outgoing, upstreamId);
      if (upstreamToken !== undefined) outgoing = withProgressToken(outgoing, upstreamToken);
    }
    const request: PendingRequest = {
      session,
      clientId,
      upstreamId,
      method: String(message.method),
      sequence: ++this.#sequence,
      clientToken,
      upstreamToken,
      params: asObject(message.params),
      timer: null,
      cancelled: false,
    };
    request.timer = setTimeout(() => this.#timedOut(request), this.#options.requestTimeoutMs);
    request.timer.unref();
    this.#pending.add(request);
    if (!this.#send(outgoing === message ? text : JSON.stringify(outgoing), outgoing)) {
      this.#pending.remove(request);
      this.#answerWithError(request, this.#options.unavailable());
    }
  }

  /** Writes a line to the process; the client's own text when it can go as it is (no embedded newline). */
  #send(text: string, message: JsonObject): boolean {
    const line = text.includes('\n') || text.includes('\r') ? JSON.stringify(message) : text;
    return this.#options.write(line);
  }

  #timedOut(request: PendingRequest): void {
    this.#pending.remove(request);
    const seconds = Math.round(this.#options.requestTimeoutMs / 1000);
    this.#cancelUpstream(request, `no answer within ${seconds} s`);
    this.#answerWithError(request, {
      message: `stdio server "${this.#options.capture.server}" did not answer ${request.method} within ${seconds} s ("timeout" in mcp.json); the request was cancelled. Raise the timeout if the tool needs longer.`,
    });
  }

  /** MCP utilities, cancellation: the sender tells the receiver it no longer wants the answer. */
  #cancelUpstream(request: PendingRequest, reason: string): void {
    this.#serverRequests.notifyServer('notifications/cancelled', { requestId: request.upstreamId, reason });
  }

  #answerWithError(request: PendingRequest, failure: Failure): void {
    const code = failure.data ? RpcErrorCode.ConnectionClosed : RpcErrorCode.GatewayFailure;
    const answer = errorResponse(request.clientId, code, failure.message, failure.data);
    request.session.deliver(answer, JSON.stringify(answer), request.clientId, GENERATED);
  }

  // ---- from the server ----------------------------------------------------------------------------

  /** One line the process wrote to stdout. */
  fromServer(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.#notForwarded(line, 'not JSON: stdout must carry only MCP messages (logs belong on stderr)');
      return;
    }
    // JSON-RPC 2.0 section 6: a batch is handled as its messages (MCP 2025-03-26 still allowed them).
    if (Array.isArray(value)) {
      for (const element of value) this.#serverMessage(element, JSON.stringify(element));
    } else {
      this.#serverMessage(value, line);
    }
  }

  #serverMessage(value: unknown, text: string): void {
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      this.#notForwarded(text, 'not a JSON-RPC message');
      return;
    }
    const message = parsed.data as JsonObject;
    if (typeof message.method === 'string') {
      if (isRequestId(message.id)) this.#serverRequests.fromServer(message, message.id, text);
      else this.#serverNotification(message, text);
    } else if (isRequestId(message.id)) {
      this.#serverAnswer(message, message.id, text);
    } else {
      this.#notForwarded(text, 'an error with no request id');
    }
  }

  #serverAnswer(message: JsonObject, id: RequestId, text: string): void {
    if (this.#serverRequests.internalAnswer(message, id, text)) return;
    const request = this.#pending.byUpstreamId(id);
    if (!request) {
      this.#notForwarded(text, 'an answer no session waits for (timed out, cancelled, or its session ended)');
      return;
    }
    this.#pending.remove(request);
    if (this.#options.shared) {
      this.#answered(request, message);
      const restored = withId(message, request.clientId) as JSONRPCMessage;
      request.session.deliver(restored, JSON.stringify(restored), request.clientId);
    } else {
      request.session.deliver(message as JSONRPCMessage, text, request.clientId);
    }
  }

  /** Keeps track of what sessions asked the server for, once the server has agreed. */
  #answered(request: PendingRequest, message: JsonObject): void {
    if (!('result' in message)) return;
    const uri = request.params?.uri;
    if (typeof uri !== 'string') return;
    if (request.method === 'resources/subscribe') this.#state.subscribe(request.session, uri);
    if (request.method === 'resources/unsubscribe') this.#state.unsubscribe(request.session, uri);
  }

  #serverNotification(message: JsonObject, text: string): void {
    const shared = this.#options.shared;
    if (message.method === 'notifications/progress') {
      const token = param(message, 'progressToken');
      const request = isRequestId(token) ? this.#pending.byToken(token) : undefined;
      if (request) {
        // MCP utilities, progress: progress restarts the request's clock, a long task is not cut off.
        request.timer?.refresh();
        const restored = shared
          ? (withParam(message, 'progressToken', request.clientToken) as JSONRPCMessage)
          : (message as JSONRPCMessage);
        request.session.deliver(restored, shared ? JSON.stringify(restored) : text, request.clientId);
        return;
      }
    } else if (message.method === 'notifications/cancelled') {
      // The server gave up on one of its own requests: only the session that holds it cares.
      if (!this.#serverRequests.cancelledByServer(message, text)) {
        this.#notForwarded(text, 'it cancels a request no session holds');
      }
      return;
    }
    const targets = shared ? this.#fanOutTargets(message) : [...this.#sessions];
    if (targets.length === 0) {
      this.#notForwarded(text, 'no session it concerns');
      return;
    }
    for (const session of targets) {
      session.deliver(message as JSONRPCMessage, text, this.#pending.latest(session)?.clientId);
    }
  }

  /** Shared mode: which sessions a server notification concerns. */
  #fanOutTargets(message: JsonObject): SessionPeer[] {
    switch (message.method) {
      case 'notifications/resources/updated':
        return this.#state.subscribers(String(param(message, 'uri')));
      case 'notifications/message':
        return [...this.#sessions].filter((s) => this.#state.admits(s, param(message, 'level')));
      default:
        // list_changed and anything else the server tells "its client": every session.
        return [...this.#sessions];
    }
  }

  /** Recorded on the server's timeline, forwarded to nobody. */
  #notForwarded(text: string, why: string): void {
    this.#options.capture.line(this.#captureSession(), 'stdout', text, { note: `not forwarded: ${why}` });
  }

  /** The session whose timeline holds server-level lines: none in shared mode, the only one in isolated. */
  #captureSession(): string | null {
    if (this.#options.shared) return null;
    for (const session of this.#sessions) return session.id;
    return null;
  }

  /**
   * A line was too long to forward and has ended: if its last bytes name a request in flight (SDKs write
   * the id last), that request fails now instead of waiting for its timeout.
   */
  tooLong(totalBytes: number, tail: string): void {
    const match = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*\}\s*$/.exec(tail);
    if (!match) return;
    let id: unknown;
    try {
      id = JSON.parse(match[1] as string);
    } catch {
      return;
    }
    const request = isRequestId(id) ? this.#pending.byUpstreamId(id) : undefined;
    if (!request) return;
    this.#pending.remove(request);
    this.#answerWithError(
      request,
      tooLongFailure(this.#options.capture.server, totalBytes, STDIO_LIMITS.maxLineBytes),
    );
  }

  // ---- lifecycle ----------------------------------------------------------------------------------

  /** The process is gone: every request in flight fails now, with the reason. */
  fail(failure: Failure): void {
    for (const request of this.#pending.all()) {
      this.#pending.remove(request);
      this.#answerWithError(request, failure);
    }
    this.#serverRequests.fail(failure.message);
  }

  /** A shared process restarted: it is subscribed and set up again as the sessions had it. */
  resync(): void {
    for (const uri of this.#state.subscribedUris()) {
      this.#serverRequests.internal('resources/subscribe', { uri }).catch(() => {});
    }
    const level = this.#state.serverLevel();
    if (level) this.#serverRequests.internal('logging/setLevel', { level }).catch(() => {});
  }
}
