import type { AuditTrail } from '../audit/audit-trail.js';

/**
 * Slows down guessing of the gateway token. Past a small burst of wrong tokens from one remote address,
 * that address's token attempts are refused with 429 (RFC 6585 §4) and Retry-After (RFC 9110 §10.2.3)
 * without being checked, for a pause that doubles with each further burst (up to `maxPauseMs`). A right
 * token never counts against anyone. Each burst is logged once, not once per request.
 */
export interface AuthLimiterOptions {
  /** Wrong tokens allowed within `windowMs` before the address must pause. */
  burst?: number;
  windowMs?: number;
  /** The first pause; each burst that follows soon after doubles it. */
  pauseMs?: number;
  maxPauseMs?: number;
  /** Addresses remembered at once; the oldest are forgotten first, so memory stays bounded. */
  maxAddresses?: number;
  now?: () => number;
  log: (message: string) => void;
  /** Each burst is also an audit entry: someone guessed tokens from this address. */
  audit?: AuditTrail;
}

interface AddressState {
  windowStart: number;
  failures: number;
  pausedUntil: number;
  /** Bursts in a row: sets the length of the next pause. */
  bursts: number;
}

export class AuthLimiter {
  readonly #burst: number;
  readonly #windowMs: number;
  readonly #pauseMs: number;
  readonly #maxPauseMs: number;
  readonly #maxAddresses: number;
  readonly #now: () => number;
  readonly #log: (message: string) => void;
  readonly #audit: AuditTrail | undefined;
  readonly #addresses = new Map<string, AddressState>();

  constructor(options: AuthLimiterOptions) {
    this.#burst = options.burst ?? 10;
    this.#windowMs = options.windowMs ?? 10_000;
    this.#pauseMs = options.pauseMs ?? 10_000;
    this.#maxPauseMs = options.maxPauseMs ?? 5 * 60_000;
    this.#maxAddresses = options.maxAddresses ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#log = options.log;
    this.#audit = options.audit;
  }

  /** Seconds the address must still wait before its next token attempt, or 0 when it may try now. */
  retryAfter(address: string): number {
    const state = this.#addresses.get(address);
    if (!state) return 0;
    const left = state.pausedUntil - this.#now();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** Counts a wrong token from the address. */
  failed(address: string): void {
    const now = this.#now();
    let state = this.#addresses.get(address);
    if (!state) {
      state = { windowStart: now, failures: 0, pausedUntil: 0, bursts: 0 };
      this.#remember(address, state);
    }
    // A quiet spell as long as the longest pause forgives earlier bursts.
    if (now - Math.max(state.windowStart, state.pausedUntil) > this.#maxPauseMs) state.bursts = 0;
    if (now - state.windowStart > this.#windowMs) {
      state.windowStart = now;
      state.failures = 0;
    }
    state.failures++;
    if (state.failures < this.#burst) return;
    const pause = Math.min(this.#pauseMs * 2 ** state.bursts, this.#maxPauseMs);
    state.bursts++;
    state.pausedUntil = now + pause;
    state.windowStart = state.pausedUntil;
    state.failures = 0;
    this.#audit?.record({
      actor: null,
      source: address,
      action: 'auth.failed-burst',
      target: null,
      outcome: 'refused',
      detail: `${this.#burst} wrong tokens within ${Math.round(this.#windowMs / 1000)} s; paused for ${Math.ceil(pause / 1000)} s`,
    });
    this.#log(
      `${this.#burst} wrong gateway tokens from ${address} within ${Math.round(this.#windowMs / 1000)} s: its token attempts get 429 for the next ${Math.ceil(pause / 1000)} s. If that is you or one of your clients, use the token the gateway printed at startup (or MCP_GATEWAY_TOKEN).`,
    );
  }

  #remember(address: string, state: AddressState): void {
    if (this.#addresses.size >= this.#maxAddresses) {
      const now = this.#now();
      for (const [key, value] of this.#addresses) {
        if (value.pausedUntil < now && now - value.windowStart > this.#maxPauseMs)
          this.#addresses.delete(key);
      }
      const oldest = this.#addresses.keys().next();
      if (this.#addresses.size >= this.#maxAddresses && !oldest.done) this.#addresses.delete(oldest.value);
    }
    this.#addresses.set(address, state);
  }
}
