import type { IncomingMessage } from 'node:http';
import { canSeeServer, type Identity } from '../auth/identity.js';
import { GatewayError } from '../core/errors.js';
import { PROXY_TOKEN_HEADER } from '../proxy/proxy-token.js';
import type { ProxyRoute } from '../proxy/route.js';
import type { UiSessionProxyCheck } from './proxy-ui-session.js';

/**
 * `--proxy-auth`: proxy URLs need a gateway token too, for gateways that other machines can reach. The
 * token rides in its own header, never in Authorization: that one belongs to the upstream server (its
 * OAuth or API key passes through untouched, MCP spec "Authorization"), and the proxy strips this one
 * before forwarding (forward-headers.ts). Browsers may set it (it is no forbidden header name, unlike
 * Proxy-Authorization), and so may every client that takes `headers` for a remote server.
 */
export type ProxyAuthCheck = (req: IncomingMessage, route: ProxyRoute) => GatewayError | null;

export interface ProxyAuthDeps {
  /**
   * Who a token stands for (the owner or a named token), or null for a wrong one, counted against the
   * same wrong-token limit as the API; throws a GatewayError 429 while the address must pause.
   */
  identify: (token: string, address: string | undefined) => Identity | null;
  /** The web UI's own page (its playground), by session cookie and CSRF token (proxy-ui-session.ts). */
  uiSession?: UiSessionProxyCheck;
}

const HOW =
  'Send the gateway token in the X-MCP-Gateway-Token header (not Authorization, which goes to the server): the owner token the gateway printed at startup (MCP_GATEWAY_TOKEN) or a token from "mcp-gateway token create". Client setup: docs/tls.md#proxy-auth';

export function createProxyAuth({ identify, uiSession }: ProxyAuthDeps): ProxyAuthCheck {
  return function proxyAuth(req, route) {
    const sent = req.headers[PROXY_TOKEN_HEADER];
    const token = (Array.isArray(sent) ? sent[0] : sent)?.trim();
    const fromUi = token ? null : (uiSession?.(req) ?? null);
    if (fromUi instanceof GatewayError) return fromUi;
    if (fromUi) return seeServer(fromUi, route);
    if (!token) {
      return new GatewayError(
        401,
        `This gateway requires a gateway token on proxy URLs (--proxy-auth). ${HOW}`,
      );
    }
    let identity: Identity | null;
    try {
      identity = identify(token, req.socket.remoteAddress);
    } catch (error) {
      if (error instanceof GatewayError) return error;
      throw error;
    }
    if (!identity) {
      return new GatewayError(
        401,
        `Wrong, expired or revoked gateway token in X-MCP-Gateway-Token (--proxy-auth). ${HOW}`,
      );
    }
    return seeServer(identity, route);
  };
}

function seeServer(identity: Identity, route: ProxyRoute): GatewayError | null {
  if (canSeeServer(identity, route.name)) return null;
  return new GatewayError(
    403,
    `Token "${identity.actor}" may not use server "${route.name}" (it is limited to ${identity.servers?.join(', ') || 'no servers'}). Use a token whose --servers include it, or the owner token.`,
  );
}
