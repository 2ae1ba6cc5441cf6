import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderMap } from '../core/capture-events.js';
import { connectionTokens, isHopByHop } from '../core/headers.js';
import { REPLAY_HEADER } from '../core/replay-mark.js';
import { PROXY_TOKEN_HEADER, UI_CSRF_HEADER, UI_SESSION_COOKIE } from './proxy-token.js';

/**
 * Request headers the gateway sets itself rather than forwarding: Host names the upstream; Content-Length
 * is recomputed for the same bytes; Accept-Encoding is dropped so that upstreams answer uncompressed and the
 * gateway can read what it captures (the client still receives a valid, identity-encoded response). The
 * gateway token of `--proxy-auth` and the replay mark (core/replay-mark.ts) are for the gateway alone: the
 * upstream never sees them.
 */
const REQUEST_OWN = new Set([
  'host',
  'content-length',
  'accept-encoding',
  PROXY_TOKEN_HEADER,
  UI_CSRF_HEADER,
  REPLAY_HEADER,
]);

/**
 * A Cookie header without the web UI's session cookie. The browser sends it with the playground's
 * same-origin requests; it opens the gateway's API, so an upstream server must never receive it. Other
 * cookies (RFC 6265 §4.2: `name=value` pairs joined by "; ") are the upstream's and pass through.
 */
function withoutGatewayCookie(value: string): string | null {
  const kept = value.split(';').filter((pair) => pair.trim().split('=')[0] !== UI_SESSION_COOKIE);
  return kept.length > 0 ? kept.join(';').trim() : null;
}

function addTo(map: HeaderMap, name: string, value: string): void {
  const existing = map[name];
  if (existing === undefined) map[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else map[name] = [existing, value];
}

export interface UpstreamRequestHeaders {
  /** Flat [name, value, name, value, ...] as undici takes them, client spelling kept. */
  list: string[];
  /** The same headers by lowercase name, for capture. */
  map: HeaderMap;
  /** Configured header names that were added (the client had not sent them). */
  configured: string[];
}

/**
 * The headers to send upstream: the client's end-to-end headers (Mcp-Session-Id, MCP-Protocol-Version,
 * Authorization, Accept, Content-Type, Last-Event-ID, ...), minus hop-by-hop ones (RFC 9110 section 7.6.1),
 * plus the server's configured headers where the client did not send the same header itself.
 */
export function upstreamRequestHeaders(
  rawHeaders: readonly string[],
  configured: Readonly<Record<string, string>>,
): UpstreamRequestHeaders {
  let tokens: Set<string> | null = null;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === 'connection') {
      tokens = connectionTokens(rawHeaders[i + 1]);
      break;
    }
  }
  const list: string[] = [];
  const map: HeaderMap = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const lower = name.toLowerCase();
    if (REQUEST_OWN.has(lower) || isHopByHop(lower, tokens)) continue;
    const raw = rawHeaders[i + 1] as string;
    const value = lower === 'cookie' ? withoutGatewayCookie(raw) : raw;
    if (value === null) continue;
    list.push(name, value);
    addTo(map, lower, value);
  }
  const added: string[] = [];
  for (const [name, value] of Object.entries(configured)) {
    const lower = name.toLowerCase();
    if (lower in map) continue;
    list.push(name, value);
    addTo(map, lower, value);
    added.push(lower);
  }
  return { list, map, configured: added };
}

/** The upstream's response headers as the client gets them: end-to-end ones only, optionally rewritten. */
export function clientResponseHeaders(
  headers: IncomingHttpHeaders,
  rewrite: ((name: string, value: string) => string) | null,
): HeaderMap {
  const tokens = connectionTokens(headers.connection);
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || isHopByHop(name, tokens)) continue;
    if (rewrite) {
      out[name] = Array.isArray(value) ? value.map((v) => rewrite(name, v)) : rewrite(name, value);
    } else {
      out[name] = value;
    }
  }
  return out;
}
