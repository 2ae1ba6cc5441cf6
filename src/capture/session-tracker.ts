import type { SessionFacts } from '../core/session.js';

/** Remembers the client and server of each live session, so every record of a session can name them. */
export class SessionTracker {
  readonly #sessions = new Map<string, SessionFacts>();
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  static key(server: string, sessionId: string | null): string {
    return `${server}\u0000${sessionId ?? ''}`;
  }

  get(server: string, sessionId: string | null): SessionFacts | undefined {
    return this.#sessions.get(SessionTracker.key(server, sessionId));
  }

  set(server: string, sessionId: string | null, facts: SessionFacts): void {
    const key = SessionTracker.key(server, sessionId);
    this.#sessions.delete(key);
    this.#sessions.set(key, facts);
    if (this.#sessions.size > this.#capacity) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest !== undefined) this.#sessions.delete(oldest);
    }
  }
}
