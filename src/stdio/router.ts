import type { InitializeResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { RpcErrorCode } from '../core/errors.js';
import { ClientTraffic } from './client-traffic.js';
import { ElicitationOwners } from './elicitation-owners.js';
import { errorResponse } from './messages.js';
import { type PendingRequest, RequestTable } from './request-table.js';
import { type Failure, GENERATED, type RouteContext, type RouterOptions } from './route-context.js';
import { ServerRequests } from './server-requests.js';
import { type CutLineReport, ServerTraffic } from './server-traffic.js';
import type { SessionPeer } from './session-peer.js';
import { SharedState } from './shared-state.js';
import { TaskOwners } from './task-owners.js';

export type { Failure, RouterOptions } from './route-context.js';

/**
 * Routes JSON-RPC messages between client sessions and one stdio process.
 *
 * In shared mode it multiplexes (MCP Basic, JSON-RPC ids are unique per sender and session, so they are
 * remapped): every forwarded request gets a gateway id and its progress token a gateway token; answers,
 * progress and cancellations are routed back with the client's own values restored. Requests from the
 * server go to the session with a request in flight, else the most recently active one; list_changed and
 * resource updates fan out to the sessions concerned; tasks and URL elicitations stay with the session
 * they belong to (task-owners.ts, elicitation-owners.ts). In isolated mode messages pass through unchanged.
 */
export class Router {
  readonly #ctx: RouteContext;
  readonly #client: ClientTraffic;
  readonly #server: ServerTraffic;

  constructor(options: RouterOptions) {
    const sessions = new Set<SessionPeer>();
    const pending = new RequestTable();
    const tasks = new TaskOwners();
    const elicitations = new ElicitationOwners();
    const captureSession = (): string | null => {
      if (options.shared) return null;
      for (const session of sessions) return session.id;
      return null;
    };
    const serverRequests = new ServerRequests({
      shared: options.shared,
      capture: options.capture,
      write: (line) => options.write(line),
      captureSession,
      sessions,
      pending,
      tasks,
      elicitations,
      timeoutMs: options.requestTimeoutMs,
    });
    this.#ctx = {
      options,
      sessions,
      pending,
      serverRequests,
      state: new SharedState(),
      tasks,
      elicitations,
      initResult: null,
      nextId: 1,
      sequence: 0,
      captureSession,
      answerWithError: (request: PendingRequest, failure: Failure) => {
        const code = failure.data ? RpcErrorCode.ConnectionClosed : RpcErrorCode.GatewayFailure;
        const answer = errorResponse(request.clientId, code, failure.message, failure.data);
        request.session.deliver(answer, JSON.stringify(answer), request.clientId, GENERATED);
      },
      cancelUpstream: (request: PendingRequest, reason: string) =>
        serverRequests.notifyServer('notifications/cancelled', { requestId: request.upstreamId, reason }),
    };
    this.#client = new ClientTraffic(this.#ctx);
    this.#server = new ServerTraffic(this.#ctx);
  }

  get sessions(): ReadonlySet<SessionPeer> {
    return this.#ctx.sessions;
  }

  get inFlight(): number {
    return this.#ctx.pending.size;
  }

  /** Requests of `session` still waiting for the server. */
  inFlightFor(session: SessionPeer): number {
    return this.#ctx.pending.ofSession(session).length;
  }

  get serverRequests(): ServerRequests {
    return this.#ctx.serverRequests;
  }

  /** Shared mode: the server's answer to the gateway's own initialize, given to every session. */
  set initResult(result: InitializeResult | null) {
    this.#ctx.initResult = result;
  }

  get initResult(): InitializeResult | null {
    return this.#ctx.initResult;
  }

  /**
   * The session a stderr line most likely belongs to: in isolated mode the only one; in shared mode the
   * one session with calls in flight, if exactly one has any (else the line stays on the server's timeline).
   */
  logSession(): string | null {
    if (!this.#ctx.options.shared) return this.#ctx.captureSession();
    const busy = this.#ctx.pending.busySessions();
    return busy.length === 1 ? (busy[0] as SessionPeer).id : null;
  }

  attach(session: SessionPeer): void {
    this.#ctx.sessions.add(session);
  }

  /** A session ended: its requests are cancelled, and what only it asked the server for is undone. */
  detach(session: SessionPeer): void {
    const { sessions, pending, options, serverRequests, state } = this.#ctx;
    if (!sessions.delete(session)) return;
    for (const request of pending.ofSession(session)) {
      pending.remove(request);
      if (options.shared) this.#ctx.cancelUpstream(request, 'the client session ended');
    }
    serverRequests.sessionEnded(session);
    if (!options.shared) return;
    this.#ctx.tasks.forget(session);
    this.#ctx.elicitations.forget(session);
    for (const uri of state.forget(session)) {
      serverRequests.internal('resources/unsubscribe', { uri }).catch(() => {});
    }
  }

  /** A message a session's client sent; `text` is the message as the client wrote it. */
  fromClient(session: SessionPeer, message: JSONRPCMessage, text: string): void {
    this.#client.handle(session, message, text);
  }

  /** One line the process wrote to stdout. */
  fromServer(line: string): void {
    this.#server.handle(line);
  }

  /** A stdout line too long to forward has ended; the request it answers fails now. */
  tooLong(cut: CutLineReport): void {
    this.#server.tooLong(cut);
  }

  /** The process is gone: every request in flight fails now, with the reason. */
  fail(failure: Failure): void {
    for (const request of this.#ctx.pending.all()) {
      this.#ctx.pending.remove(request);
      this.#ctx.answerWithError(request, failure);
    }
    this.#ctx.serverRequests.fail(failure.message);
  }

  /** A shared process restarted: it is subscribed and set up again as the sessions had it. */
  resync(): void {
    const { state, serverRequests } = this.#ctx;
    for (const uri of state.subscribedUris()) {
      serverRequests.internal('resources/subscribe', { uri }).catch(() => {});
    }
    const level = state.serverLevel();
    if (level) serverRequests.internal('logging/setLevel', { level }).catch(() => {});
  }
}
