/**
 * The request header that carries a gateway token to the proxy under `--proxy-auth` (app/proxy-auth.ts).
 * It is the gateway's own: never forwarded upstream, and redacted in captures like any `*token` header.
 */
export const PROXY_TOKEN_HEADER = 'x-mcp-gateway-token';

/**
 * The web UI's session cookie and CSRF header (app/ui-session.ts, app/csrf.ts). The UI's playground sends
 * both to the proxy from the gateway's own page; they open the gateway, so no upstream ever gets them.
 */
export const UI_SESSION_COOKIE = 'mcp_gateway_session';
export const UI_CSRF_HEADER = 'x-csrf-token';
