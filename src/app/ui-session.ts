import { randomBytes } from 'node:crypto';

/**
 * Web UI sign-in: the `?token=` link the gateway prints is exchanged once for a session cookie, so the
 * token leaves the address bar (and browser history) at once. Sessions live in memory: a restart signs
 * everyone out, as does a new token.
 */
export const UI_COOKIE = 'mcp_gateway_session';

export class UiSessions {
  readonly #ids = new Set<string>();

  create(): string {
    const id = randomBytes(32).toString('base64url');
    this.#ids.add(id);
    return id;
  }

  valid(id: string | undefined): boolean {
    return id !== undefined && this.#ids.has(id);
  }

  end(id: string | undefined): void {
    if (id) this.#ids.delete(id);
  }
}

/**
 * HttpOnly keeps scripts from reading it; SameSite=Strict keeps other sites from sending it, which with the
 * Origin check is the CSRF protection for the API.
 */
export function sessionCookie(id: string): string {
  return `${UI_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`;
}

export function clearedSessionCookie(): string {
  return `${UI_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
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
