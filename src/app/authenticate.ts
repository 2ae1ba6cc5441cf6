import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { GatewayError } from '../core/errors.js';
import type { AuthLimiter } from './auth-limiter.js';
import { bearerToken } from './token-auth.js';
import { sessionFromCookie, type UiSessions } from './ui-session.js';

/**
 * Who is asking, decided once at the boundary: the REST API, the gateway's MCP server and the UI's sign-in
 * link all ask here, so every wrong token counts against the same limit.
 */
export type Principal =
  /** `Authorization: Bearer <gateway token>`: a script or MCP client. Browsers cannot send it cross-site. */
  | { via: 'token' }
  /** The web UI's session cookie: the browser sends it on its own, so writes also need the CSRF token. */
  | { via: 'ui-session'; sessionId: string };

export interface AuthRequest {
  /** The remote address, which wrong tokens are counted by. */
  address: string | undefined;
  authorization: string | undefined;
  cookie: string | undefined;
}

/** What authentication reads from a request; the address is the socket's (none under `app.request`). */
export function authRequest(c: Context): AuthRequest {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return {
    address: incoming?.socket.remoteAddress,
    authorization: c.req.header('authorization'),
    cookie: c.req.header('cookie'),
  };
}

export interface Authenticator {
  /** The principal, or a GatewayError: 401 for a missing or wrong token, 429 while the address must pause. */
  authenticate(request: AuthRequest, options?: { sessions?: boolean }): Principal;
  /** The UI's `?token=` link: true when it carries the gateway token; a GatewayError 429 while pausing. */
  signInToken(token: string, address: string | undefined): boolean;
}

export interface AuthenticatorDeps {
  checkToken: (candidate: string | null) => boolean;
  sessions: UiSessions;
  limiter: AuthLimiter;
}

const WRONG_TOKEN =
  'Missing or wrong gateway token. Send "Authorization: Bearer <token>" with the token the gateway printed at startup (or set MCP_GATEWAY_TOKEN).';

export function tooManyWrongTokens(retryAfter: number): GatewayError {
  return new GatewayError(
    429,
    `Too many wrong gateway tokens from this address: wait ${retryAfter} s, then try again with the token the gateway printed at startup (or MCP_GATEWAY_TOKEN).`,
    { headers: { 'retry-after': String(retryAfter) } },
  );
}

export function createAuthenticator({ checkToken, sessions, limiter }: AuthenticatorDeps): Authenticator {
  /** Checks a token unless the address must pause; a guess is not even looked at then. */
  const tokenIsRight = (token: string, address: string | undefined): boolean => {
    // An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d; it is the same client either way.
    const key = address?.replace(/^::ffff:/i, '') ?? 'unknown';
    const wait = limiter.retryAfter(key);
    if (wait > 0) throw tooManyWrongTokens(wait);
    if (checkToken(token)) return true;
    limiter.failed(key);
    return false;
  };

  return {
    authenticate(request, options = {}) {
      const token = bearerToken(request.authorization);
      // A Bearer token, when sent, decides alone: a wrong one is a wrong guess whatever cookie rides along.
      if (token !== null) {
        if (tokenIsRight(token, request.address)) return { via: 'token' };
      } else if (options.sessions !== false) {
        // Session ids are 256 random bits, not guessable; a stale one (after a restart) is not a guess.
        const sessionId = sessionFromCookie(request.cookie);
        if (sessionId !== undefined && sessions.valid(sessionId)) return { via: 'ui-session', sessionId };
      }
      throw new GatewayError(401, WRONG_TOKEN, {
        headers: { 'www-authenticate': 'Bearer realm="mcp-gateway"' },
      });
    },
    signInToken: tokenIsRight,
  };
}
