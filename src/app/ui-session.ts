import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Identity } from '../auth/identity.js';
import { UI_SESSION_COOKIE } from '../proxy/proxy-token.js';

/**
 * Web UI sign-in: the `?token=` link the gateway prints is exchanged once for a session cookie, so the
 * token leaves the address bar (and browser history) at once. Sessions live in memory: a restart signs
 * everyone out, as does a new token. A session also ends after an idle period (no authenticated request),
 * so a browser left open does not stay signed in for good, and when its identity's right ends (an OpenID
 * sign-in's lifetime cap, a token's expiry).
 */
export const UI_COOKIE = UI_SESSION_COOKIE;

/** Sessions kept at once; signing in once more than this ends the oldest (memory stays bounded). */
const MAX_SESSIONS = 1000;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** How long a session may sit unused, unless the gateway is told otherwise (`--ui-idle-timeout`). */
export const DEFAULT_IDLE_MS = 30 * 60_000;

export interface UiSessionsOptions {
  /** Milliseconds without an authenticated request after which a session ends. */
  idleMs?: number;
  now?: () => number;
}

export class UiSessions {
  /** Session id → its CSRF token, who signed in, and when it was last used. */
  readonly #sessions = new Map<string, { csrf: string; identity: Identity; lastSeen: number }>();
  readonly #idleMs: number;
  readonly #now: () => number;

  constructor({ idleMs = DEFAULT_IDLE_MS, now = Date.now }: UiSessionsOptions = {}) {
    this.#idleMs = idleMs;
    this.#now = now;
  }

  create(identity: Identity): string {
    const id = randomBytes(32).toString('base64url');
    if (this.#sessions.size >= MAX_SESSIONS) {
      const oldest = this.#sessions.keys().next();
      if (!oldest.done) this.#sessions.delete(oldest.value);
    }
    this.#sessions.set(id, { csrf: randomBytes(32).toString('base64url'), identity, lastSeen: this.#now() });
    return id;
  }

  valid(id: string | undefined): boolean {
    return this.identity(id) !== undefined;
  }

  /**
   * Who signed in with this session, while it lasts; an expired right or an idle period ends the session.
   * Asking is using it: every authenticated request starts the idle period anew.
   */
  identity(id: string | undefined): Identity | undefined {
    const session = this.#live(id);
    if (session) session.lastSeen = this.#now();
    return session?.identity;
  }

  /**
   * True while the session lasts, without counting as a use: an open live feed asks this twice a second,
   * and a page left open with its feed running is still idle until the person does something.
   */
  alive(id: string | undefined): boolean {
    return this.#live(id) !== undefined;
  }

  #live(id: string | undefined) {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const now = this.#now();
    const expired = session.identity.expiresAt !== null && session.identity.expiresAt <= now;
    if (expired || now - session.lastSeen >= this.#idleMs) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /**
   * The session's CSRF token. The page gets it from `GET /api/session`, a same-origin JSON answer, rather
   * than from a script-readable cookie: cookies do not isolate by port (RFC 6265 §8.5), so a page on any
   * other localhost port could read such a cookie, while it cannot read a response without CORS.
   */
  csrfToken(id: string): string | undefined {
    return this.#sessions.get(id)?.csrf;
  }

  /** True when `candidate` is the session's CSRF token; compared in constant time. */
  checkCsrf(id: string, candidate: string | undefined): boolean {
    const expected = this.#sessions.get(id)?.csrf;
    if (expected === undefined || !candidate) return false;
    return timingSafeEqual(digest(candidate), digest(expected));
  }

  end(id: string | undefined): void {
    if (id) this.#sessions.delete(id);
  }
}

/**
 * HttpOnly keeps scripts from reading it. SameSite=Strict keeps other sites from sending it, but every port
 * of localhost is the same site, so the exact Origin check (own-origin.ts) and the CSRF token guard the API.
 * Over HTTPS it is also Secure (RFC 6265 §4.1.2.5): the browser never sends it over plain HTTP.
 */
export function sessionCookie(id: string, secure = false): string {
  return `${UI_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure = false): string {
  return `${UI_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** The session id from a Cookie header, if any. */
export function sessionFromCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === UI_COOKIE) return value.join('=');
  }
  return undefined;
}
