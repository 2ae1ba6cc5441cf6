import type { JsonRpcId } from '../core/errors.js';
import { type Direction, idKey } from '../core/jsonrpc.js';
import type { MessageDraft } from './draft.js';

export interface PendingRequest {
  draft: MessageDraft;
  time: number;
  method: string | null;
  /** When the gateway had the request whole, where the proxy timed it (core/capture-events.ts). */
  arrived?: number | undefined;
}

/**
 * Matches responses to their requests by (server, session, direction, JSON-RPC id). JSON-RPC ids are only
 * unique per sender and session, so two clients both using id 1 never mix. Bounded: the oldest requests
 * that never got an answer are forgotten first.
 */
export class Correlator {
  readonly #pending = new Map<string, PendingRequest>();
  readonly #capacity: number;

  constructor(capacity = 100_000) {
    this.#capacity = capacity;
  }

  static key(server: string, sessionId: string | null, requester: Direction, id: JsonRpcId): string {
    return `${server}\u0000${sessionId ?? ''}\u0000${requester}\u0000${idKey(id)}`;
  }

  add(key: string, pending: PendingRequest): void {
    this.#pending.delete(key);
    this.#pending.set(key, pending);
    if (this.#pending.size > this.#capacity) {
      const oldest = this.#pending.keys().next().value;
      if (oldest !== undefined) this.#pending.delete(oldest);
    }
  }

  /** The request answered by a response, removed from the pending set. */
  take(key: string): PendingRequest | undefined {
    const pending = this.#pending.get(key);
    if (pending) this.#pending.delete(key);
    return pending;
  }

  get size(): number {
    return this.#pending.size;
  }
}
