import type { ProgressToken, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { idKey } from '../core/jsonrpc.js';
import type { SessionPeer } from './session-peer.js';

/** A client request forwarded to the server and not answered yet. */
export interface PendingRequest {
  readonly session: SessionPeer;
  /** The id the client chose. */
  readonly clientId: RequestId;
  /** The id the server sees (the same as clientId in isolated mode). */
  readonly upstreamId: RequestId;
  readonly method: string;
  /** Increases with every request: tells which of several in-flight requests is the most recent. */
  readonly sequence: number;
  readonly clientToken: ProgressToken | undefined;
  readonly upstreamToken: ProgressToken | undefined;
  /** The params, for requests whose answer updates the router's state (subscriptions). */
  readonly params: Record<string, unknown> | null;
  timer: NodeJS.Timeout | null;
  /** The client cancelled it (MCP utilities, cancellation); a late answer is still delivered. */
  cancelled: boolean;
  /** When its line was written to the server's stdin (core/clock.ts). */
  forwarded: number;
}

/**
 * The requests in flight, findable by the server's id (to route answers), by the client's id (to route
 * cancellations) and by progress token (to route progress notifications).
 */
export class RequestTable {
  readonly #byUpstream = new Map<string, PendingRequest>();
  readonly #bySession = new Map<SessionPeer, Map<string, PendingRequest>>();
  readonly #byToken = new Map<string, PendingRequest>();

  add(request: PendingRequest): void {
    this.#byUpstream.set(idKey(request.upstreamId), request);
    let ofSession = this.#bySession.get(request.session);
    if (!ofSession) {
      ofSession = new Map();
      this.#bySession.set(request.session, ofSession);
    }
    ofSession.set(idKey(request.clientId), request);
    if (request.upstreamToken !== undefined) this.#byToken.set(idKey(request.upstreamToken), request);
  }

  remove(request: PendingRequest): void {
    if (request.timer) clearTimeout(request.timer);
    request.timer = null;
    this.#byUpstream.delete(idKey(request.upstreamId));
    const ofSession = this.#bySession.get(request.session);
    ofSession?.delete(idKey(request.clientId));
    if (ofSession?.size === 0) this.#bySession.delete(request.session);
    if (request.upstreamToken !== undefined) this.#byToken.delete(idKey(request.upstreamToken));
  }

  byUpstreamId(id: RequestId): PendingRequest | undefined {
    return this.#byUpstream.get(idKey(id));
  }

  byClientId(session: SessionPeer, id: RequestId): PendingRequest | undefined {
    return this.#bySession.get(session)?.get(idKey(id));
  }

  byToken(token: ProgressToken): PendingRequest | undefined {
    return this.#byToken.get(idKey(token));
  }

  /** The session's most recent request still in flight. */
  latest(session: SessionPeer): PendingRequest | undefined {
    const ofSession = this.#bySession.get(session);
    if (!ofSession) return undefined;
    let last: PendingRequest | undefined;
    for (const request of ofSession.values()) last = request;
    return last;
  }

  ofSession(session: SessionPeer): PendingRequest[] {
    return [...(this.#bySession.get(session)?.values() ?? [])];
  }

  /** Sessions with requests in flight. */
  busySessions(): SessionPeer[] {
    return [...this.#bySession.keys()];
  }

  all(): PendingRequest[] {
    return [...this.#byUpstream.values()];
  }

  get size(): number {
    return this.#byUpstream.size;
  }
}
