import type { IncomingMessage } from 'node:http';
import type { Identity } from '../auth/identity.js';
import { roleAllows } from '../auth/roles.js';
import { GatewayError } from '../core/errors.js';
import { UI_CSRF_HEADER } from '../proxy/proxy-token.js';
import type { Authenticator } from './authenticate.js';
import type { OwnOriginCheck } from './own-origin.js';
import type { UiSessions } from './ui-session.js';

/**
 * Under `--proxy-auth`, the web UI's playground is an MCP client in the gateway's own page. It proves
 * itself the way the page's REST calls do, so the raw gateway token never reaches page scripts: the
 * HttpOnly session cookie, plus the session's CSRF token in a header, from the gateway's exact origin.
 * Another page (any other localhost port is the same site, so the cookie rides along) cannot read the CSRF
 * token, and its Origin is refused here even though the proxy's own Origin rule lets it in.
 * Returns the identity, a refusal, or null when the request does not try this way (no CSRF header).
 */
export type UiSessionProxyCheck = (req: IncomingMessage) => Identity | GatewayError | null;

export interface UiSessionProxyDeps {
  sessions: UiSessions;
  authenticator: Authenticator;
  checkOwnOrigin: OwnOriginCheck;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createUiSessionProxyCheck(deps: UiSessionProxyDeps): UiSessionProxyCheck {
  return function uiSessionProxy(req) {
    const csrf = header(req, UI_CSRF_HEADER);
    if (!csrf) return null;
    const url = req.url ?? '/';
    const foreign = deps.checkOwnOrigin({
      method: req.method ?? 'GET',
      path: url.split('?')[0] ?? url,
      host: req.headers.host,
      origin: req.headers.origin,
      fetchSite: header(req, 'sec-fetch-site'),
      fetchMode: header(req, 'sec-fetch-mode'),
    });
    if (foreign) return foreign;
    let principal: ReturnType<Authenticator['authenticate']>;
    try {
      // Authorization is the upstream server's (its OAuth or API key), never the gateway's: left out here.
      principal = deps.authenticator.authenticate({
        address: req.socket.remoteAddress,
        authorization: undefined,
        cookie: header(req, 'cookie'),
      });
    } catch (error) {
      if (error instanceof GatewayError) return error;
      throw error;
    }
    if (principal.via !== 'ui-session' || !deps.sessions.checkCsrf(principal.sessionId, csrf)) {
      return new GatewayError(
        403,
        `Refused: the ${UI_CSRF_HEADER} header does not belong to this web UI session. Reload the web UI and try again; other clients send the gateway token in X-MCP-Gateway-Token.`,
      );
    }
    // The playground calls tools, which act on servers: an operator's right (src/auth/roles.ts).
    if (!roleAllows(principal.role, 'operator')) {
      return new GatewayError(
        403,
        `Calling servers from the web UI needs the operator role; ${principal.actor} has ${principal.role}. Ask the gateway's owner for a token with the operator role.`,
      );
    }
    const { via: _via, sessionId: _id, ...identity } = principal;
    return identity;
  };
}
