import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { type Identity, OWNER } from '../auth/identity.js';
import { GatewayError } from '../core/errors.js';
import type { AuthLimiter } from './auth-limiter.js';
import { bearerToken } from './token-auth.js';
import { sessionFromCookie, type UiSessions } from './ui-session.js';

/**
 * Who is asking, decided once at the boundary: the REST API, the gateway's MCP server and the UI's sign-in
 * link all ask here, so every wrong token counts against the same limit.
 */
export type Principal = Identity &
  (
    | /** `Authorization: Bearer <token>`: a script or MCP client. Browsers cannot send it cross-site. */
    { via: 'token' }
    /** The web UI's session cookie: the browser sends it on its own, so writes also need the CSRF token. */
    | { via: 'ui-session'; sessionId: string }
  );

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
  /** The UI's `?token=` link: who the token stands for, or null; a GatewayError 429 while pausing. */
  signInToken(token: string, address: string | undefined): Identity | null;
  /**
   * False once the principal's right has ended: its token revoked or expired, its UI session ended. Open
   * streams (the live feed) ask this on a timer, since they outlive the request that authenticated them.
   */
  stillValid(principal: Principal): boolean;
}

export interface AuthenticatorDeps {
  /** True for the owner's token (MCP_GATEWAY_TOKEN or the one printed at startup). */
  checkToken: (candidate: string | null) => boolean;
  /** Named tokens (`mcp-gateway token create`): who a value stands for, or undefined. */
  lookupToken?: (candidate: string) => Identity | undefined;
  /** False once what a UI session signed in with is gone (a named token revoked, rotated or expired). */
  stillCurrent?: (identity: Identity) => boolean;
  sessions: UiSessions;
  limiter: AuthLimiter;
}

const WRONG_TOKEN =
  'Missing or wrong gateway token. Send "Authorization: Bearer <token>" with the token the gateway printed at startup (or set MCP_GATEWAY_TOKEN).';

/** A session cookie that no longer opens anything: the UI says so rather than showing a bare sign-in. */
const SESSION_ENDED =
  'Your web UI session ended (it sat unused past the idle timeout, reached its time limit, or the gateway restarted). Sign in again.';

export function tooManyWrongTokens(retryAfter: number): GatewayError {
  return new GatewayError(
    429,
    `Too many wrong gateway tokens from this address: wait ${retryAfter} s, then try again with the token the gateway printed at startup (or MCP_GATEWAY_TOKEN).`,
    { headers: { 'retry-after': String(retryAfter) } },
  );
}

export function createAuthenticator({
  checkToken,
  lookupToken,
  stillCurrent = () => true,
  sessions,
  limiter,
}: AuthenticatorDeps): Authenticator {
  const rightHolds = (identity: Identity) =>
    (identity.expiresAt === null || identity.expiresAt > Date.now()) && stillCurrent(identity);

  /** Who a token stands for, unless the address must pause; a guess is not even looked at then. */
  const identityOf = (token: string, address: string | undefined): Identity | null => {
    // An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d; it is the same client either way.
    const key = address?.replace(/^::ffff:/i, '') ?? 'unknown';
    const wait = limiter.retryAfter(key);
    if (wait > 0) throw tooManyWrongTokens(wait);
    if (checkToken(token)) return OWNER;
    const named = lookupToken?.(token);
    if (named) return named;
    limiter.failed(key);
    return null;
  };

  return {
    authenticate(request, options = {}) {
      const token = bearerToken(request.authorization);
      // A Bearer token, when sent, decides alone: a wrong one is a wrong guess whatever cookie rides along.
      if (token !== null) {
        const identity = identityOf(token, request.address);
        if (identity) return { ...identity, via: 'token' };
      } else if (options.sessions !== false) {
        // Session ids are 256 random bits, not guessable; a stale one (after a restart) is not a guess.
        const sessionId = sessionFromCookie(request.cookie);
        const identity = sessionId === undefined ? undefined : sessions.identity(sessionId);
        if (sessionId !== undefined && identity) {
          // A session signed in with a named token ends with it: revoking a token signs its browsers out.
          if (rightHolds(identity)) return { ...identity, via: 'ui-session', sessionId };
          sessions.end(sessionId);
        }
        if (sessionId) {
          throw new GatewayError(401, SESSION_ENDED, {
            headers: { 'www-authenticate': 'Bearer realm="mcp-gateway", error="invalid_token"' },
            details: { session: 'ended' },
          });
        }
      }
      throw new GatewayError(401, WRONG_TOKEN, {
        headers: { 'www-authenticate': 'Bearer realm="mcp-gateway"' },
      });
    },
    signInToken: identityOf,
    stillValid: (principal) =>
      rightHolds(principal) && (principal.via !== 'ui-session' || sessions.alive(principal.sessionId)),
  };
}
