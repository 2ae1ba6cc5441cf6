import {
  type InitializeResult,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { now } from '../core/clock.js';
import { readCutLine } from './cut-line.js';
import { metaOf, SUBSCRIPTION_ID_KEY } from './era.js';
import { tooLongFailure } from './failures.js';
import { asObject, isRequestId, type JsonObject, param, withId, withParam } from './messages.js';
import type { PendingRequest } from './request-table.js';
import type { RouteContext } from './route-context.js';
import type { SessionPeer } from './session-peer.js';

/** A stdout line over the server's limit, once it has ended: what the gateway kept of it. */
export interface CutLineReport {
  totalBytes: number;
  limitBytes: number;
  /** Its first bytes and its last bytes, as text. */
  head: string;
  tail: string;
}

/**
 * Messages from the process to the sessions: answers go back to the request's session with the client's
 * id restored, progress to the request that asked for it, and in shared mode notifications fan out to the
 * sessions they concern. What no session should get is still recorded, on the server's timeline.
 */
export class ServerTraffic {
  readonly #ctx: RouteContext;

  constructor(ctx: RouteContext) {
    this.#ctx = ctx;
  }

  /** One line the process wrote to stdout. */
  handle(line: string): void {
    // When the whole line was in: the answer it carries is the gateway's from here on.
    const received = now();
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.#notForwarded(line, 'not JSON: stdout must carry only MCP messages (logs belong on stderr)');
      return;
    }
    // JSON-RPC 2.0 section 6: a batch is handled as its messages (MCP 2025-03-26 still allowed them).
    if (Array.isArray(value)) {
      for (const element of value) this.#serverMessage(element, JSON.stringify(element), received);
    } else {
      this.#serverMessage(value, line, received);
    }
  }

  #serverMessage(value: unknown, text: string, received: number): void {
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      this.#notForwarded(text, 'not a JSON-RPC message');
      return;
    }
    const message = parsed.data as JsonObject;
    if (typeof message.method === 'string') {
      if (isRequestId(message.id)) this.#ctx.serverRequests.fromServer(message, message.id, text);
      else this.#serverNotification(message, text);
    } else if (isRequestId(message.id)) {
      this.#serverAnswer(message, message.id, text, received);
    } else {
      this.#notForwarded(text, 'an error with no request id');
    }
  }

  #serverAnswer(message: JsonObject, id: RequestId, text: string, received: number): void {
    if (this.#ctx.serverRequests.internalAnswer(message, id, text)) return;
    const request = this.#ctx.pending.byUpstreamId(id);
    if (!request) {
      this.#notForwarded(text, 'an answer no session waits for (timed out, cancelled, or its session ended)');
      return;
    }
    this.#ctx.pending.remove(request);
    const leg = { forwarded: request.forwarded, received };
    if (this.#ctx.options.shared) {
      this.#answered(request, message);
      this.#ctx.elicitations.sent(request.session, message);
      const { message: answer, held } = this.#ctx.tasks.answered(request, message);
      const restored = withId(
        request.method === 'subscriptions/listen'
          ? withResultSubscriptionId(answer, request.clientId)
          : answer,
        request.clientId,
      ) as JSONRPCMessage;
      request.session.deliver(restored, JSON.stringify(restored), request.clientId, undefined, leg);
      for (const status of held) {
        request.session.deliver(status.message as JSONRPCMessage, status.text, undefined);
      }
    } else {
      // Isolated mode: the session's own initialize, answered by its process, which is now serving.
      if (request.method === 'initialize' && 'result' in message) {
        this.#ctx.initResult = message.result as InitializeResult;
      }
      request.session.deliver(message as JSONRPCMessage, text, request.clientId, undefined, leg);
      // A refused initialize (a 2026-only server, MCP 2026-07-28) leaves a session nothing can use.
      if (request.method === 'initialize' && 'error' in message) this.#ctx.options.initializeRefused?.();
    }
  }

  /** Keeps track of what sessions asked the server for, once the server has agreed. */
  #answered(request: PendingRequest, message: JsonObject): void {
    if (!('result' in message)) return;
    const uri = request.params?.uri;
    if (typeof uri !== 'string') return;
    if (request.method === 'resources/subscribe') this.#ctx.state.subscribe(request.session, uri);
    if (request.method === 'resources/unsubscribe') this.#ctx.state.unsubscribe(request.session, uri);
  }

  #serverNotification(message: JsonObject, text: string): void {
    const shared = this.#ctx.options.shared;
    if (message.method === 'notifications/progress') {
      const token = param(message, 'progressToken');
      const request = isRequestId(token) ? this.#ctx.pending.byToken(token) : undefined;
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
      if (!this.#ctx.serverRequests.cancelledByServer(message, text)) {
        this.#notForwarded(text, 'it cancels a request no session holds');
      }
      return;
    }
    if (this.#toSubscriber(message, text)) return;
    if (shared && (this.#toElicitationOwner(message, text) || this.#toTaskOwner(message, text))) return;
    const targets = shared ? this.#fanOutTargets(message) : [...this.#ctx.sessions];
    if (targets.length === 0) {
      this.#notForwarded(text, 'no session it concerns');
      return;
    }
    for (const session of targets) {
      session.deliver(message as JSONRPCMessage, text, this.#ctx.pending.latest(session)?.clientId);
    }
  }

  /**
   * MCP 2026-07-28 over stdio: a subscription's notifications name the id of its subscriptions/listen
   * request in `_meta` (the SDK's serveStdio stamps them); they go on that request's stream, with the
   * client's own id restored in shared mode. False: it names no subscription in flight.
   */
  #toSubscriber(message: JsonObject, text: string): boolean {
    const subscription = metaOf(message)?.[SUBSCRIPTION_ID_KEY];
    if (!isRequestId(subscription)) return false;
    const request = this.#ctx.pending.byUpstreamId(subscription);
    if (request?.method !== 'subscriptions/listen') return false;
    if (!this.#ctx.options.shared) {
      request.session.deliver(message as JSONRPCMessage, text, request.clientId);
      return true;
    }
    const restored = withSubscriptionId(message, request.clientId) as JSONRPCMessage;
    request.session.deliver(restored, JSON.stringify(restored), request.clientId);
    return true;
  }

  /** Shared mode: an elicitation's completion goes to the session that was asked; false for others. */
  #toElicitationOwner(message: JsonObject, text: string): boolean {
    const owner = this.#ctx.elicitations.completed(message);
    if (owner === undefined) return false;
    if (owner) owner.deliver(message as JSONRPCMessage, text, this.#ctx.pending.latest(owner)?.clientId);
    else this.#notForwarded(text, 'it completes an elicitation no connected session was asked');
    return true;
  }

  /**
   * Shared mode: a notification about a task goes to the session that owns the task, and to no other;
   * a status that comes before its task's creation is answered waits for it. False: it names no task.
   */
  #toTaskOwner(message: JsonObject, text: string): boolean {
    const { tasks, pending } = this.#ctx;
    const taskId = tasks.taskOf(message);
    if (taskId === undefined) return false;
    const owner = tasks.ownerOf(taskId);
    if (owner) {
      owner.deliver(message as JSONRPCMessage, text, pending.latest(owner)?.clientId);
    } else if (message.method === 'notifications/tasks/status') {
      for (const dropped of tasks.hold({ message, text })) {
        this.#notForwarded(dropped.text, 'a status of a task no session created');
      }
    } else {
      this.#notForwarded(text, 'it concerns a task no connected session owns');
    }
    return true;
  }

  /** Shared mode: which sessions a server notification concerns. */
  #fanOutTargets(message: JsonObject): SessionPeer[] {
    switch (message.method) {
      case 'notifications/resources/updated':
        return this.#ctx.state.subscribers(String(param(message, 'uri')));
      case 'notifications/message':
        return [...this.#ctx.sessions].filter((s) => this.#ctx.state.admits(s, param(message, 'level')));
      default:
        // list_changed and anything else the server tells "its client": every session.
        return [...this.#ctx.sessions];
    }
  }

  /** Recorded on the server's timeline, forwarded to nobody. */
  #notForwarded(text: string, why: string): void {
    this.#ctx.options.capture.line(this.#ctx.captureSession(), 'stdout', text, {
      note: `not forwarded: ${why}`,
    });
  }

  /**
   * A line was too long to forward and has ended: the request it answers fails now instead of waiting for
   * its timeout. Its id comes from the line's first or last bytes; an answer that shows neither belongs
   * to the one request in flight, when there is only one.
   */
  tooLong(cut: CutLineReport): void {
    const { id, answer } = readCutLine(cut.head, cut.tail);
    let request = id !== undefined ? this.#ctx.pending.byUpstreamId(id) : undefined;
    if (!request && id === undefined && answer && this.#ctx.pending.size === 1) {
      request = this.#ctx.pending.all()[0];
    }
    if (!request) return;
    this.#ctx.pending.remove(request);
    this.#ctx.answerWithError(
      request,
      tooLongFailure(this.#ctx.options.capture.server, request.method, cut.totalBytes, cut.limitBytes),
    );
  }
}

/** A notification with the subscription id in its `_meta` replaced (shared mode restores the client's). */
function withSubscriptionId(message: JsonObject, id: RequestId): JsonObject {
  const params = asObject(message.params) ?? {};
  const meta = asObject(params._meta) ?? {};
  return { ...message, params: { ...params, _meta: { ...meta, [SUBSCRIPTION_ID_KEY]: id } } };
}

/** The end of a subscription names it in its result's `_meta` too. */
function withResultSubscriptionId(message: JsonObject, id: RequestId): JsonObject {
  const result = asObject(message.result);
  const meta = asObject(result?._meta);
  if (!result || !meta || meta[SUBSCRIPTION_ID_KEY] === undefined) return message;
  return { ...message, result: { ...result, _meta: { ...meta, [SUBSCRIPTION_ID_KEY]: id } } };
}
