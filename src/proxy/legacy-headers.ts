import { upstreamRequestHeaders } from './forward-headers.js';

/**
 * Headers of the Streamable HTTP transport that mean nothing to a 2024-11-05 server (sessions, protocol
 * version, resumption) or that the bridge sets itself per request (Accept, Content-Type), plus the tag the
 * gateway adds for its own bookkeeping.
 */
const NOT_FORWARDED = new Set([
  'accept',
  'content-type',
  'last-event-id',
  'mcp-session-id',
  'mcp-protocol-version',
  'x-mcp-gateway-post',
]);

/**
 * What a legacy HTTP+SSE upstream gets from a client's request: its end-to-end headers (Authorization,
 * User-Agent, ...) and the server's configured headers, as the Streamable HTTP proxy forwards them.
 */
export function legacyUpstreamHeaders(
  rawHeaders: readonly string[],
  configured: Readonly<Record<string, string>>,
): Record<string, string> {
  const { map } = upstreamRequestHeaders(rawHeaders, configured);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(map)) {
    if (NOT_FORWARDED.has(name) || name.startsWith('mcp-')) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
