import type { HeaderMap } from './capture-events.js';

/**
 * Hop-by-hop fields describe one connection, not the message, so a proxy must not forward them
 * (RFC 9110 section 7.6.1). Proxy-Authorization and Proxy-Authenticate are addressed to a proxy and
 * end at it (RFC 9110 sections 11.7.1, 11.7.2).
 */
const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
]);

/** True for a header that must not cross the gateway; `connectionTokens` are those named in `Connection`. */
export function isHopByHop(name: string, connectionTokens: ReadonlySet<string> | null): boolean {
  return HOP_BY_HOP.has(name) || (connectionTokens?.has(name) ?? false);
}

/** The header names listed in a Connection header, which are hop-by-hop too (RFC 9110 section 7.6.1). */
export function connectionTokens(value: string | string[] | undefined): Set<string> | null {
  // The usual values name no extra headers; skip the parsing for them.
  if (value === undefined || value === 'keep-alive' || value === 'close') return null;
  const joined = Array.isArray(value) ? value.join(',') : value;
  const tokens = new Set<string>();
  for (const token of joined.split(',')) {
    const name = token.trim().toLowerCase();
    if (name) tokens.add(name);
  }
  return tokens.size > 0 ? tokens : null;
}

const ALWAYS_SECRET = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
const SECRET_NAME =
  /(api[-_]?key|access[-_]?key|token|secret|password|passwd|credential|session[-_]?key|signature)/i;

/** Headers whose values are credentials: never stored, never shown. */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return ALWAYS_SECRET.has(lower) || SECRET_NAME.test(lower);
}

export const REDACTED = '[redacted]';

/** A secret header's value as stored: keeps an auth scheme ("Bearer") visible, which is no secret. */
export function hideHeaderValue(name: string, value: string): string {
  if (name === 'authorization' || name === 'proxy-authorization') {
    const space = value.indexOf(' ');
    if (space > 0 && space < 20) return `${value.slice(0, space)} ${REDACTED}`;
  }
  return REDACTED;
}

/** A copy of `headers` with every secret value replaced; `alsoSecret` lists extra names (lowercase). */
export function redactHeaders(headers: HeaderMap, alsoSecret: ReadonlySet<string> | null = null): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (isSecretHeader(lower) || alsoSecret?.has(lower)) {
      out[lower] = Array.isArray(value)
        ? value.map((v) => hideHeaderValue(lower, v))
        : hideHeaderValue(lower, value);
    } else {
      out[lower] = value;
    }
  }
  return out;
}

/** The first value of a header, lowercase name; Node's parsed headers may hold arrays. */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The media type of a Content-Type value, without parameters, lowercase ("application/json"). */
export function mediaType(contentType: string | undefined): string {
  if (!contentType) return '';
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}
