import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { type GatewayError, jsonRpcErrorBody } from '../core/errors.js';
import type { HttpProxy } from '../proxy/http-proxy.js';
import { matchProxyRoute } from '../proxy/route.js';
import { answerPreflight, applyCors } from './cors.js';
import type { HostCheck } from './host-guard.js';
import type { OwnOriginCheck } from './own-origin.js';
import type { ProxyAuthCheck } from './proxy-auth.js';
import { malformedPath } from './request-target.js';

export interface RequestListenerDeps {
  checkHost: HostCheck;
  /** The exact-origin rule for every route but the proxy's and OAuth discovery's. */
  checkOwnOrigin: OwnOriginCheck;
  proxy: HttpProxy;
  /** `--proxy-auth`: who may use the proxy URLs; absent, they need no gateway token. */
  checkProxyAuth?: ProxyAuthCheck;
  /** The answer for a request on a connection past the per-client cap (src/limits), or null. */
  refuseConnection?: (req: IncomingMessage) => GatewayError | null;
  app: { fetch: Parameters<typeof getRequestListener>[0] };
  log: (message: string) => void;
}

/** Paths where the client speaks JSON-RPC, so refusals are JSON-RPC errors too. */
function speaksJsonRpc(url: string): boolean {
  return (
    url.startsWith('/s/') ||
    url.startsWith('/servers/') ||
    url.startsWith('/gateway/') ||
    url.startsWith('/g/')
  );
}

function refuse(req: IncomingMessage, res: ServerResponse, error: GatewayError): void {
  const url = req.url ?? '/';
  const body = speaksJsonRpc(url)
    ? jsonRpcErrorBody(null, error.rpcCode, error.message)
    : JSON.stringify({ error: error.message });
  res.writeHead(error.status, {
    ...error.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Routes that browser-based MCP clients call cross-origin: the proxy and OAuth discovery. */
function isCorsRoute(url: string): boolean {
  return url.startsWith('/s/') || url.startsWith('/servers/') || url.startsWith('/.well-known/');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Host and Origin: any localhost port may call the proxy; only the gateway's own pages the rest. */
function checkRequest(deps: RequestListenerDeps, req: IncomingMessage, url: string): GatewayError | null {
  if (isCorsRoute(url)) return deps.checkHost(req.headers.host, req.headers.origin);
  return (
    deps.checkHost(req.headers.host, undefined) ??
    deps.checkOwnOrigin({
      method: req.method ?? 'GET',
      path: url.split('?')[0] ?? url,
      host: req.headers.host,
      origin: req.headers.origin,
      fetchSite: header(req, 'sec-fetch-site'),
      fetchMode: header(req, 'sec-fetch-mode'),
    })
  );
}

/**
 * The gateway's request handling, in order. Security comes first and covers every route, proxy included:
 *   0. A connection past the per-client cap is told so (503) and closed.
 *   1. Host and Origin checks (DNS rebinding protection; cross-site requests to the API, UI and the
 *      gateway's MCP server), then paths that cannot be decoded (400).
 *   2. CORS for the routes browser clients call cross-origin (preflights answered here).
 *   3. The proxy's hot path, on plain Node streams: no Request/Response objects, nothing buffered; under
 *      --proxy-auth only for a gateway token that may use the server (401/403/429 otherwise).
 *   4. Everything else through the Hono app: OAuth discovery, token-guarded REST API and MCP server, UI,
 *      not found, errors.
 */
export function createRequestListener(
  deps: RequestListenerDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const honoListener = getRequestListener(deps.app.fetch);
  let lastRefusalLog = 0;
  return function gatewayRequest(req, res) {
    const url = req.url ?? '/';
    const overCap = deps.refuseConnection?.(req);
    if (overCap) {
      refuse(req, res, overCap);
      return;
    }
    const refusal = checkRequest(deps, req, url);
    if (refusal) {
      const now = Date.now();
      if (now - lastRefusalLog > 10_000) {
        lastRefusalLog = now;
        deps.log(`refused ${req.method} ${url}: ${refusal.message}`);
      }
      refuse(req, res, refusal);
      return;
    }
    const badPath = malformedPath(url);
    if (badPath) {
      refuse(req, res, badPath);
      return;
    }
    if (isCorsRoute(url)) {
      if (answerPreflight(req, res)) return;
      applyCors(req, res);
    }
    const route = matchProxyRoute(url);
    if (route) {
      const denied = deps.checkProxyAuth?.(req, route);
      if (denied) {
        refuse(req, res, denied);
        return;
      }
      deps.proxy.handle(req, res, route);
      return;
    }
    void honoListener(req, res);
  };
}
