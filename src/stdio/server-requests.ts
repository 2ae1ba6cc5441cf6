import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { RpcErrorCode } from '../core/errors.js';
import { idKey } from '../core/jsonrpc.js';
import type { ElicitationOwners } from './elicitation-owners.js';
import { errorResponse, isRequestId, type JsonObject, param } from './messages.js';
import type { RequestTable } from './request-table.js';
import type { SessionPeer } from './session-peer.js';
import type { StdioCapture } from './stdio-capture.js';
import type { TaskOwners } from './task-owners.js';

export interface ServerRequestsOptions {
  shared: boolean;
  capture: StdioCapture;
  write(line: string): boolean;
  /** The session whose timeline holds the gateway's own lines (none in shared mode). */
  captureSession(): string | null;
  sessions: ReadonlySet<SessionPeer>;
  pending: RequestTable;
  /** Shared mode: a request tied to a task goes to the session that owns the task. */
  tasks: TaskOwners;
  /** Shared mode: URL elicitations are noted with the session asked, for their completion notice. */
  elicitations: ElicitationOwners;
  /** How long the gateway's own requests may wait for their answer. */
  timeoutMs: number;
}

interface Internal {
  resolve(result: JsonObject): void;
  reject(error: Error): void;
}

const GENERATED = 'answered by the gateway';
const SENT = 'sent by the gateway';

/** The client capability a server request needs (MCP client features: sampling, elicitation, roots). */
function capabilityFor(method: string): 'sampling' | 'elicitation' | 'roots' | null {
  if (method === 'sampling/createMessage') return 'sampling';
  if (method === 'elicitation/create') return 'elicitation';
  if (method === 'roots/list') return 'roots';
  return null;
}

/**
 * The server's side of the conversation: requests the server sends to "its client" (routed to one
 * session, whose answer is relayed back), and the gateway's own requests to the server (its initialize,
 * re-subscribing after a restart), which no session sees. Server request ids are the server's own and
 * unique on its connection, so they pass through unchanged.
 */
export class ServerRequests {
  readonly #options: ServerRequestsOptions;
  /** Server requests a session holds; `task`: task-augmented, its answer may create a task. */
  readonly #routed = new Map<string, { session: SessionPeer; id: RequestId; task: boolean }>();
  readonly #internal = new Map<string, Internal>();
  #nextInternal = 1;

  constructor(options: ServerRequestsOptions) {
    this.#options = options;
  }

  /** A request from the server: to the session that should answer it, or answered here when none can. */
  fromServer(message: JsonObject, id: RequestId, text: string): void {
    const method = String(message.method);
    const { shared, capture } = this.#options;
    if (shared && method === 'ping') {
      // The gateway is the shared process's client: it answers the liveness check itself (MCP utilities, ping).
      capture.line(null, 'stdout', text);
      this.#reply({ jsonrpc: '2.0', id, result: {} });
      return;
    }
    const session = shared ? this.#pick(method, message) : this.#only();
    if (!session) {
      capture.line(this.#options.captureSession(), 'stdout', text);
      const why =
        this.#options.sessions.size === 0
          ? 'no client session is connected'
          : 'no connected client supports it';
      this.#reply(
        errorResponse(id, RpcErrorCode.MethodNotFound, `The gateway cannot route ${method}: ${why}.`),
      );
      return;
    }
    this.#routed.set(idKey(id), { session, id, task: param(message, 'task') !== undefined });
    if (shared) this.#options.elicitations.sent(session, message);
    session.deliver(message as JSONRPCMessage, text, this.#options.pending.latest(session)?.clientId);
  }

  /**
   * Shared mode: the session that owns the task the request is tied to; otherwise the session whose
   * request is in flight (the most recent, when several are), else the most recently active one; only
   * sessions whose client declared the capability the request needs.
   */
  #pick(method: string, message: JsonObject): SessionPeer | undefined {
    const needs = capabilityFor(method);
    // The server asks about a task its client holds (MCP 2025-11-25, Tasks): only that session can answer.
    const holder = this.#options.tasks.clientTaskHolder(message);
    if (holder !== undefined) return holder ?? undefined;
    const taskId = this.#options.tasks.taskOf(message);
    if (taskId !== undefined) {
      const owner = this.#options.tasks.ownerOf(taskId);
      return owner && (!needs || owner.clientCapabilities?.[needs]) ? owner : undefined;
    }
    let busy: SessionPeer | undefined;
    let busySequence = -1;
    let recent: SessionPeer | undefined;
    for (const session of this.#options.sessions) {
      if (needs && !session.clientCapabilities?.[needs]) continue;
      const latest = this.#options.pending.latest(session);
      if (latest && latest.sequence > busySequence) {
        busy = session;
        busySequence = latest.sequence;
      }
      if (!recent || session.lastActive > recent.lastActive) recent = session;
    }
    return busy ?? recent;
  }

  #only(): SessionPeer | undefined {
    for (const session of this.#options.sessions) return session;
    return undefined;
  }

  /** A client answered a server request: relayed as it is. */
  answered(session: SessionPeer, message: JsonObject, id: RequestId, text: string): void {
    const key = idKey(id);
    if (this.#routed.get(key)?.session !== session) {
      this.#options.capture.note(
        session.id,
        `not forwarded: answer ${String(id)} matches no request from the server`,
      );
      return;
    }
    const routed = this.#routed.get(key);
    this.#routed.delete(key);
    if (this.#options.shared && routed?.task) this.#options.tasks.clientCreated(session, message);
    const line = text.includes('\n') || text.includes('\r') ? JSON.stringify(message) : text;
    this.#options.write(line);
  }

  /** The server cancelled one of its requests; true when a session held it. */
  cancelledByServer(message: JsonObject, text: string): boolean {
    const requestId = param(message, 'requestId');
    const key = isRequestId(requestId) ? idKey(requestId) : '';
    const routed = this.#routed.get(key);
    if (!routed) return false;
    this.#routed.delete(key);
    routed.session.deliver(message as JSONRPCMessage, text, undefined);
    return true;
  }

  /** A session ended before answering: the server gets an error instead of waiting forever. */
  sessionEnded(session: SessionPeer): void {
    for (const [key, routed] of this.#routed) {
      if (routed.session !== session) continue;
      this.#routed.delete(key);
      const { id } = routed;
      this.#reply(
        errorResponse(id, RpcErrorCode.ConnectionClosed, 'The client session ended before answering.'),
      );
    }
  }

  /** The process is gone: nothing it asked will be answered, nothing the gateway asked either. */
  fail(reason: string): void {
    this.#routed.clear();
    for (const internal of this.#internal.values()) internal.reject(new Error(reason));
    this.#internal.clear();
  }

  /** A request of the gateway's own (shared mode); `write` bypasses the usual path during a handshake. */
  internal(
    method: string,
    params: JsonObject,
    write: (line: string) => boolean = this.#options.write,
  ): Promise<JsonObject> {
    const id = `mcp-gateway-${this.#nextInternal++}`;
    const line = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    this.#options.capture.line(this.#options.captureSession(), 'stdin', line, { note: SENT });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#internal.delete(id);
        reject(new Error(`no answer to ${method} within ${Math.round(this.#options.timeoutMs / 1000)} s`));
      }, this.#options.timeoutMs);
      timer.unref();
      const settle =
        <T>(fn: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          fn(value);
        };
      this.#internal.set(id, { resolve: settle(resolve), reject: settle(reject) });
      if (!write(line)) {
        this.#internal.delete(id);
        clearTimeout(timer);
        reject(new Error('the process is not running'));
      }
    });
  }

  /** Settles the gateway's own request; false when `id` is not one. */
  internalAnswer(message: JsonObject, id: RequestId, text: string): boolean {
    const internal = typeof id === 'string' ? this.#internal.get(id) : undefined;
    if (!internal) return false;
    this.#internal.delete(id as string);
    this.#options.capture.line(this.#options.captureSession(), 'stdout', text);
    const error = message.error as { message?: string } | undefined;
    if (error) internal.reject(new Error(error.message ?? 'error'));
    else internal.resolve((message.result as JsonObject | undefined) ?? {});
    return true;
  }

  notifyServer(
    method: string,
    params?: JsonObject,
    write: (line: string) => boolean = this.#options.write,
  ): void {
    const line = JSON.stringify(params ? { jsonrpc: '2.0', method, params } : { jsonrpc: '2.0', method });
    this.#options.capture.line(this.#options.captureSession(), 'stdin', line, { note: SENT });
    write(line);
  }

  #reply(message: JSONRPCMessage): void {
    const line = JSON.stringify(message);
    this.#options.capture.line(this.#options.captureSession(), 'stdin', line, { note: GENERATED });
    this.#options.write(line);
  }
}
