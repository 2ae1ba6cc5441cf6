import { GatewayError } from '../core/errors.js';

/**
 * The REST API, the web UI and the gateway's own MCP server answer only the gateway's own pages. Browsers
 * treat every port of a host as one site (RFC 6265 §8.5: cookies do not isolate by port), so SameSite
 * cookies do not stop a page served from another localhost port; the Origin header (RFC 6454 §7) does,
 * compared exactly: scheme, host and port. The proxy keeps the looser any-port rule of host-guard.ts,
 * which browser MCP clients such as the Inspector need.
 */
export interface OwnOriginOptions {
  /**
   * Names given with --allowed-hosts. A reverse proxy or tunnel in front of the gateway may serve it under
   * such a name with its own scheme and port, so for these the Origin must match the Host header only.
   */
  allowedHosts: readonly string[];
  /** The port the gateway listens on; known once it is bound (`--port 0` picks one). */
  port: () => number;
  /** 'https' when the gateway serves TLS itself (--tls-cert, --tls self-signed); its pages' origin then is. */
  scheme?: 'http' | 'https';
}

export interface OwnRouteRequest {
  method: string;
  /** The path without the query. */
  path: string;
  host: string | undefined;
  origin: string | undefined;
  /** Fetch Metadata (https://www.w3.org/TR/fetch-metadata/): where the request came from, and why. */
  fetchSite: string | undefined;
  fetchMode: string | undefined;
}

export type OwnOriginCheck = (request: OwnRouteRequest) => GatewayError | null;

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** The origin the browser addressed, as the Host header names it, for messages. */
function addressedOrigin(scheme: string, host: string | undefined): string {
  return host ? `${scheme}://${host}` : 'the gateway';
}

/** A top-level GET of a UI page: the page holds no data, and a link from anywhere may open it. */
function isUiNavigation(request: OwnRouteRequest): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    request.fetchMode === 'navigate' &&
    (request.path === '/ui' || request.path.startsWith('/ui/'))
  );
}

export function createOwnOriginCheck(options: OwnOriginOptions): OwnOriginCheck {
  const proxiedNames = new Set(options.allowedHosts.map((h) => bracketed(h.toLowerCase())));
  const scheme = options.scheme ?? 'http';
  return (request) => {
    const own = addressedOrigin(scheme, request.host);
    if (request.origin !== undefined) {
      if (isOwnOrigin(request.origin, request.host, options.port(), scheme, proxiedNames)) return null;
      return new GatewayError(
        403,
        `Blocked request from origin "${request.origin}": only the gateway's own web UI (${own}/ui) may call ${request.path}. Browser MCP clients connect through the proxy (/s/<name>/mcp); scripts send no Origin.`,
      );
    }
    // No Origin: a GET from a form, an image or a link. Fetch Metadata still says whether another page
    // (another port counts as "same-site") sent it; "none" is the user's own act, such as a terminal link.
    const fromAnotherPage = request.fetchSite === 'cross-site' || request.fetchSite === 'same-site';
    if (fromAnotherPage && !isUiNavigation(request)) {
      return new GatewayError(
        403,
        `Blocked request to ${request.path}: another web page sent it (Sec-Fetch-Site: ${request.fetchSite}), and only the gateway's own web UI may. Open ${own}/ui instead.`,
      );
    }
    return null;
  };
}

function isOwnOrigin(
  origin: string,
  host: string | undefined,
  port: number,
  scheme: string,
  proxiedNames: ReadonlySet<string>,
): boolean {
  let url: URL;
  let addressed: URL;
  try {
    url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    // The page must come from the very host and port the browser sent this request to...
    addressed = new URL(`${url.protocol}//${host ?? ''}`);
  } catch {
    return false;
  }
  if (addressed.host !== url.host) return false;
  // ...which is the gateway's own listening port with the gateway's own scheme (http, or https with TLS),
  // unless a name from --allowed-hosts says a proxy in front of it chose the scheme and port.
  if (proxiedNames.has(url.hostname)) return true;
  return url.protocol === `${scheme}:` && effectivePort(url) === port;
}
