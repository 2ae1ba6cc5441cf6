import { now } from '../core/clock.js';
import { GatewayError } from '../core/errors.js';
import type { LimitCounts } from './limit-counts.js';

export const DEFAULT_MAX_SESSIONS_PER_CLIENT = 64;

interface ClientSessions {
  /** `server \n session id` → when the client last used it. */
  sessions: Map<string, number>;
  /** When each `initialize` still waiting to show its session id was let through. */
  opening: number[];
}

export interface SessionCapsOptions {
  /** A session unused this long no longer counts (clients often vanish without DELETE). */
  idleMs?: number;
  /** An `initialize` counts as a session this long, until a request shows the session it opened. */
  openingMs?: number;
  maxClients?: number;
  now?: () => number;
}

/**
 * Open MCP sessions per client address, across all servers. A session counts from the `initialize` that
 * opens it (MCP "Lifecycle") until the client ends it with DELETE, the server answers 404 for it (MCP
 * "Session Management"), or nobody has used it for `idleMs`. Past the cap, a new `initialize` gets 429; the
 * client's existing sessions go on as before. Memory: at most `max` sessions per client, `maxClients`
 * clients.
 */
export class SessionCaps {
  readonly max: number;
  readonly #counts: LimitCounts;
  readonly #idleMs: number;
  readonly #openingMs: number;
  readonly #maxClients: number;
  readonly #now: () => number;
  readonly #clients = new Map<string, ClientSessions>();

  constructor(max: number, counts: LimitCounts, options: SessionCapsOptions = {}) {
    this.max = max;
    this.#counts = counts;
    this.#idleMs = options.idleMs ?? 30 * 60_000;
    this.#openingMs = options.openingMs ?? 30_000;
    this.#maxClients = options.maxClients ?? 10_000;
    this.#now = options.now ?? now;
  }

  /** The client sends `initialize` without a session: a refusal when it already has `max` sessions. */
  opening(client: string): GatewayError | null {
    const time = this.#now();
    const state = this.#client(client, time);
    this.#prune(state, time);
    if (state.sessions.size + state.opening.length >= this.max) {
      this.#counts.hit('sessionsPerClient');
      return new GatewayError(
        429,
        `Too many open MCP sessions from ${client}: the gateway allows ${this.max} per client address (--max-sessions-per-client). End sessions you no longer use (DELETE with their Mcp-Session-Id, or close those clients), or ask the gateway's owner to raise the limit.`,
      );
    }
    state.opening.push(time);
    return null;
  }

  /** A request in a session: the session counts (and stays counted while it is used). */
  seen(client: string, server: string, sessionId: string): void {
    const time = this.#now();
    const key = `${server}\n${sessionId}`;
    const state = this.#clients.get(client);
    const known = state?.sessions;
    if (known?.has(key)) {
      known.set(key, time);
      return;
    }
    const fresh = state ?? this.#client(client, time);
    if (fresh.sessions.size >= this.max) return;
    fresh.sessions.set(key, time);
    fresh.opening.shift();
  }

  /** An `initialize` let through was refused by the server: it opened no session. */
  openingFailed(client: string): void {
    this.#clients.get(client)?.opening.shift();
  }

  ended(client: string, server: string, sessionId: string): void {
    const state = this.#clients.get(client);
    if (!state) return;
    state.sessions.delete(`${server}\n${sessionId}`);
    if (state.sessions.size === 0 && state.opening.length === 0) this.#clients.delete(client);
  }

  /** Sessions counted for a client now (for tests and the status). */
  count(client: string): number {
    const state = this.#clients.get(client);
    if (!state) return 0;
    this.#prune(state, this.#now());
    return state.sessions.size + state.opening.length;
  }

  #client(client: string, time: number): ClientSessions {
    let state = this.#clients.get(client);
    if (state) return state;
    if (this.#clients.size >= this.#maxClients) {
      for (const [address, other] of this.#clients) {
        this.#prune(other, time);
        if (other.sessions.size === 0 && other.opening.length === 0) this.#clients.delete(address);
      }
      const oldest = this.#clients.keys().next();
      if (this.#clients.size >= this.#maxClients && !oldest.done) this.#clients.delete(oldest.value);
    }
    state = { sessions: new Map(), opening: [] };
    this.#clients.set(client, state);
    return state;
  }

  #prune(state: ClientSessions, time: number): void {
    for (const [key, used] of state.sessions) if (time - used > this.#idleMs) state.sessions.delete(key);
    while (state.opening.length > 0 && time - (state.opening[0] as number) > this.#openingMs)
      state.opening.shift();
  }
}
