import {
  type InitializeResult,
  type JSONRPCMessage,
  type RequestId,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import { now } from '../core/clock.js';
import { RpcErrorCode } from '../core/errors.js';
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
import type { PendingRequest } from './request-table.js';
import { GENERATED, type RouteContext } from './route-context.js';
import type { SessionPeer } from './session-peer.js';

/**
 * Messages from client sessions to the process. In shared mode a request gets a gateway id and its
 * progress token a gateway token (JSON-RPC ids are only unique per sender and session); a session's
 * initialize is answered from the server's own result; cancellations follow the request they name.
 */
export class ClientTraffic {
  readonly #ctx: RouteContext;

  constructor(ctx: RouteContext) {
    this.#ctx = ctx;
  }

  /** A message a session's client sent; `text` is the message as the client wrote it. */
  handle(session: SessionPeer, message: JSONRPCMessage, text: string): void {
    session.lastActive = Date.now();
    const object = message as JsonObject;
    if (typeof object.method === 'string') {
      if (isRequestId(object.id)) this.#clientRequest(session, object, object.id, text);
      else this.#clientNotification(session, object, text);
    } else if (isRequestId(object.id)) {
      this.#ctx.serverRequests.answered(session, object, object.id, text);
    }
  }

  #clientRequest(session: SessionPeer, message: JsonObject, id: RequestId, text: string): void {
    if (!this.#ctx.options.shared) {
      this.#forward(session, message, id, text);
      return;
    }
    switch (message.method) {
      case 'initialize':
        this.#answerInitialize(session, message, id);
        return;
      case 'resources/unsubscribe': {
        const uri = String(param(message, 'uri'));
        if (this.#ctx.state.othersSubscribed(session, uri)) {
          // Other sessions still want updates for this resource: the server stays subscribed.
          this.#ctx.state.unsubscribe(session, uri);
          const answer: JSONRPCMessage = { jsonrpc: '2.0', id, result: {} };
          session.deliver(answer, JSON.stringify(answer), id, `${GENERATED}: other sessions still subscribe`);
          return;
        }
        break;
      }
      case 'logging/setLevel': {
        this.#ctx.state.setLevel(session, param(message, 'level') as never);
        const level = this.#ctx.state.serverLevel();
        this.#forward(session, level ? withParam(message, 'level', level) : message, id, text);
        return;
      }
    }
    this.#forward(session, this.#ctx.tasks.outgoing(session, message), id, text);
  }

  #answerInitialize(session: SessionPeer, message: JsonObject, id: RequestId): void {
    const params = asObject(message.params);
    session.clientCapabilities = (asObject(params?.capabilities) as SessionPeer['clientCapabilities']) ?? {};
    const result = this.#ctx.initResult;
    const answer: JSONRPCMessage = result
      ? { jsonrpc: '2.0', id, result: { ...result, protocolVersion: sessionVersion(params, result) } }
      : errorResponse(id, RpcErrorCode.GatewayFailure, this.#ctx.options.unavailable().message);
    session.deliver(answer, JSON.stringify(answer), id, `${GENERATED} from the server's initialize result`);
  }

  #clientNotification(session: SessionPeer, message: JsonObject, text: string): void {
    if (message.method === 'notifications/cancelled') this.#endListen(session, message);
    if (!this.#ctx.options.shared) {
      this.#send(text, message);
      return;
    }
    switch (message.method) {
      case 'notifications/initialized':
        // The gateway initialized the process once; a session's handshake ends here. A client that can
        // list roots may have new ones: the server is told, and asks the most recently active session.
        if (session.clientCapabilities?.roots) {
          this.#ctx.serverRequests.notifyServer('notifications/roots/list_changed');
        }
        return;
      case 'notifications/cancelled': {
        const requestId = param(message, 'requestId');
        const request = isRequestId(requestId) ? this.#ctx.pending.byClientId(session, requestId) : undefined;
        if (!request) return;
        request.cancelled = true;
        this.#send(JSON.stringify(withParam(message, 'requestId', request.upstreamId)), message);
        return;
      }
    }
    this.#send(text, message);
  }

  /**
   * A cancelled subscriptions/listen ends the subscription; the server owes it no answer (MCP utilities,
   * cancellation), so it stops counting as in flight. Other requests wait for their answer or timeout.
   */
  #endListen(session: SessionPeer, message: JsonObject): void {
    const requestId = param(message, 'requestId');
    const request = isRequestId(requestId) ? this.#ctx.pending.byClientId(session, requestId) : undefined;
    if (request?.method !== 'subscriptions/listen') return;
    this.#ctx.pending.remove(request);
    if (this.#ctx.options.shared) {
      const cancel = withParam(message, 'requestId', request.upstreamId);
      this.#send(JSON.stringify(cancel), cancel);
    }
  }

  #forward(session: SessionPeer, message: JsonObject, clientId: RequestId, text: string): void {
    const shared = this.#ctx.options.shared;
    const upstreamId = shared ? this.#ctx.nextId++ : clientId;
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
      sequence: ++this.#ctx.sequence,
      clientToken,
      upstreamToken,
      params: asObject(message.params),
      timer: null,
      cancelled: false,
      forwarded: 0,
    };
    // MCP 2026-07-28, subscriptions/listen: the request lives as long as the client listens, by design.
    if (request.method !== 'subscriptions/listen') {
      request.timer = setTimeout(() => this.#timedOut(request), this.#ctx.options.requestTimeoutMs);
      request.timer.unref();
    }
    this.#ctx.pending.add(request);
    // Stamped as it goes to stdin (a process still starting holds it: that wait is the server's).
    request.forwarded = now();
    if (!this.#send(outgoing === message ? text : JSON.stringify(outgoing), outgoing)) {
      this.#ctx.pending.remove(request);
      this.#ctx.answerWithError(request, this.#ctx.options.unavailable());
    }
  }

  /** Writes a line to the process; the client's own text when it can go as it is (no embedded newline). */
  #send(text: string, message: JsonObject): boolean {
    const line = text.includes('\n') || text.includes('\r') ? JSON.stringify(message) : text;
    return this.#ctx.options.write(line);
  }

  #timedOut(request: PendingRequest): void {
    this.#ctx.pending.remove(request);
    const seconds = Math.round(this.#ctx.options.requestTimeoutMs / 1000);
    this.#ctx.cancelUpstream(request, `no answer within ${seconds} s`);
    this.#ctx.answerWithError(request, {
      message: `stdio server "${this.#ctx.options.capture.server}" did not answer ${request.method} within ${seconds} s ("timeout" in mcp.json); the request was cancelled. Raise the timeout if the tool needs longer.`,
    });
  }
}

/**
 * MCP lifecycle, "Version Negotiation": a server answers with the version the client asked for when it
 * supports it. The process speaks the version it negotiated with the gateway; a session asking for an
 * older one the gateway knows gets that one (later versions only add to what a message may carry).
 */
function sessionVersion(params: JsonObject | null, result: InitializeResult): string {
  const asked = params?.protocolVersion;
  const spoken = result.protocolVersion;
  if (typeof asked !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(asked)) return spoken;
  // Versions are ISO dates: the earlier sorts first.
  return [asked, spoken].sort()[0] ?? spoken;
}
