import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import type { SessionPeer } from './session-peer.js';

/** MCP utilities, logging: levels from most to least verbose (RFC 5424 severities). */
const LEVELS: readonly LoggingLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

function rank(level: unknown): number {
  const index = LEVELS.indexOf(level as LoggingLevel);
  return index === -1 ? 0 : index;
}

/**
 * What sessions of a shared process asked the server for, so that one session's choice never takes
 * something away from another: resource subscriptions (the server is subscribed while any session is) and
 * log levels (the server logs at the most verbose level any session asked for; each session gets what
 * its own level admits).
 */
export class SharedState {
  readonly #subscribers = new Map<string, Set<SessionPeer>>();
  readonly #levels = new Map<SessionPeer, LoggingLevel>();

  subscribe(session: SessionPeer, uri: string): void {
    let sessions = this.#subscribers.get(uri);
    if (!sessions) {
      sessions = new Set();
      this.#subscribers.set(uri, sessions);
    }
    sessions.add(session);
  }

  /** Removes the subscription; true when no session is subscribed to `uri` any more. */
  unsubscribe(session: SessionPeer, uri: string): boolean {
    const sessions = this.#subscribers.get(uri);
    sessions?.delete(session);
    if (sessions && sessions.size > 0) return false;
    this.#subscribers.delete(uri);
    return true;
  }

  /** True when a session other than `session` is subscribed to `uri`. */
  othersSubscribed(session: SessionPeer, uri: string): boolean {
    const sessions = this.#subscribers.get(uri);
    if (!sessions) return false;
    return sessions.size > (sessions.has(session) ? 1 : 0);
  }

  subscribers(uri: string): SessionPeer[] {
    return [...(this.#subscribers.get(uri) ?? [])];
  }

  subscribedUris(): string[] {
    return [...this.#subscribers.keys()];
  }

  /** Forgets a session; returns the URIs nobody is subscribed to any more. */
  forget(session: SessionPeer): string[] {
    this.#levels.delete(session);
    const orphaned: string[] = [];
    for (const [uri, sessions] of this.#subscribers) {
      if (sessions.delete(session) && sessions.size === 0) {
        this.#subscribers.delete(uri);
        orphaned.push(uri);
      }
    }
    return orphaned;
  }

  setLevel(session: SessionPeer, level: LoggingLevel): void {
    this.#levels.set(session, level);
  }

  /** The level the server should log at: the most verbose any session asked for, or null if none did. */
  serverLevel(): LoggingLevel | null {
    let best: LoggingLevel | null = null;
    for (const level of this.#levels.values()) {
      if (best === null || rank(level) < rank(best)) best = level;
    }
    return best;
  }

  /** Whether a log message at `level` is for `session` (sessions that set no level get everything). */
  admits(session: SessionPeer, level: unknown): boolean {
    const wanted = this.#levels.get(session);
    return wanted === undefined || rank(level) >= rank(wanted);
  }
}
