import { GatewayError } from '../core/errors.js';

/**
 * A request whose path cannot be percent-decoded (RFC 3986 section 2.1: `%` starts a `%XX` octet, and
 * the octets of a name must be UTF-8) names nothing the gateway has; it is the client's mistake, so it is
 * answered 400 here, before any route tries to decode it.
 */
export function malformedPath(target: string): GatewayError | null {
  const question = target.indexOf('?');
  const path = question === -1 ? target : target.slice(0, question);
  if (!path.includes('%')) return null;
  try {
    decodeURIComponent(path);
    return null;
  } catch {
    const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    return new GatewayError(
      400,
      `Bad request path "${shown}": its percent-encoding is malformed (each % must start a %XX sequence of valid UTF-8). Encode path parts with encodeURIComponent.`,
    );
  }
}
