import { GatewayError } from '../core/errors.js';
import { UI_CSRF_HEADER } from '../proxy/proxy-token.js';
import type { UiSessions } from './ui-session.js';

/**
 * Proof that the gateway's own page sent a change. A browser attaches the session cookie to requests any
 * page on localhost makes (every port is the same site), so a cookie-authenticated change must also carry
 * the session's CSRF token in this header. Another page cannot read the token (it comes from a same-origin
 * JSON answer) and cannot set a custom header cross-origin without a CORS preflight, which the API refuses.
 * Bearer requests need no token: a browser never adds that header on its own.
 */
export const CSRF_HEADER = UI_CSRF_HEADER;

/** Safe methods change nothing (RFC 9110 §9.2.1); everything else is a change. */
export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/** What the check needs of a principal: how it was carried. */
export type CsrfSubject = { via: 'token' } | { via: 'ui-session'; sessionId: string };

export function csrfRefusal(
  principal: CsrfSubject,
  method: string,
  token: string | undefined,
  sessions: UiSessions,
): GatewayError | null {
  if (principal.via !== 'ui-session' || isSafeMethod(method)) return null;
  if (sessions.checkCsrf(principal.sessionId, token)) return null;
  const what = token ? 'a wrong CSRF token' : 'no CSRF token';
  return new GatewayError(
    403,
    `Refused: this change came with the web UI's session cookie but ${what} (${CSRF_HEADER} header), so it may not come from the gateway's own page. Reload the web UI and try again; scripts send "Authorization: Bearer <token>" instead.`,
  );
}
