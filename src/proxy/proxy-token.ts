/**
 * The request header that carries a gateway token to the proxy under `--proxy-auth` (app/proxy-auth.ts).
 * It is the gateway's own: never forwarded upstream, and redacted in captures like any `*token` header.
 */
export const PROXY_TOKEN_HEADER = 'x-mcp-gateway-token';
