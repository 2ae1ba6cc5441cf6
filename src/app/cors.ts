import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * CORS for browser-based MCP clients (the MCP Inspector, web agents) on the proxy and OAuth routes. Only
 * origins that passed the host guard get here, so reflecting the Origin is safe. Session and auth headers
 * must be exposed, or a browser client cannot read its session id or the OAuth challenge (nor, past a rate
 * limit, when to retry).
 */
const EXPOSED = 'mcp-session-id, mcp-protocol-version, www-authenticate, last-event-id, retry-after';
const ALLOWED_HEADERS =
  'content-type, accept, authorization, mcp-session-id, mcp-protocol-version, last-event-id, x-mcp-gateway-token';

export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-expose-headers', EXPOSED);
  res.setHeader('vary', 'Origin');
}

/** Answers a CORS preflight; true when the request was one. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'OPTIONS' || !req.headers.origin || !req.headers['access-control-request-method'])
    return false;
  applyCors(req, res);
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    'access-control-allow-headers': typeof requested === 'string' && requested ? requested : ALLOWED_HEADERS,
    'access-control-max-age': '600',
  });
  res.end();
  return true;
}
