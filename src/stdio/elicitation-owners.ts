import { asObject, type JsonObject } from './messages.js';
import type { SessionPeer } from './session-peer.js';

/** URL elicitations remembered per process; past it the oldest are forgotten. */
const MAX_ELICITATIONS = 10_000;

/** MCP 2025-11-25: the error a server answers with when a URL elicitation must come first. */
const URL_ELICITATION_REQUIRED = -32042;

/**
 * URL-mode elicitations (MCP 2025-11-25, Elicitation, "URL Mode") in a process shared by several
 * sessions. The server names each by `elicitationId`, in an `elicitation/create` request or in a -32042
 * error's `data.elicitations`, and later tells its client that one is done with
 * `notifications/elicitation/complete`: that notification goes to the session that was asked, only.
 */
export class ElicitationOwners {
  readonly #owners = new Map<string, SessionPeer>();

  /** A server message on its way to `session`: the URL elicitations it names are that session's. */
  sent(session: SessionPeer, message: JsonObject): void {
    const params = asObject(message.params);
    if (message.method === 'elicitation/create' && params?.mode === 'url') {
      this.#own(session, params.elicitationId);
      return;
    }
    const error = asObject(message.error);
    if (error?.code !== URL_ELICITATION_REQUIRED) return;
    const elicitations = asObject(error.data)?.elicitations;
    if (!Array.isArray(elicitations)) return;
    for (const elicitation of elicitations) this.#own(session, asObject(elicitation)?.elicitationId);
  }

  /** The session a completion notification is for: null when none is, undefined for other messages. */
  completed(message: JsonObject): SessionPeer | null | undefined {
    if (message.method !== 'notifications/elicitation/complete') return undefined;
    const id = asObject(message.params)?.elicitationId;
    const owner = typeof id === 'string' ? this.#owners.get(id) : undefined;
    if (owner && typeof id === 'string') this.#owners.delete(id);
    return owner ?? null;
  }

  forget(session: SessionPeer): void {
    for (const [id, owner] of this.#owners) if (owner === session) this.#owners.delete(id);
  }

  #own(session: SessionPeer, id: unknown): void {
    if (typeof id !== 'string') return;
    this.#owners.set(id, session);
    for (const oldest of this.#owners.keys()) {
      if (this.#owners.size <= MAX_ELICITATIONS) break;
      this.#owners.delete(oldest);
    }
  }
}
