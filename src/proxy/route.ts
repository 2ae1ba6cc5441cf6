/**
 * Proxy URLs: `/s/<name>/mcp` (alias `/servers/<name>/mcp`) for Streamable HTTP, and for clients of the
 * legacy HTTP+SSE transport (MCP 2024-11-05) `/s/<name>/sse` (the GET stream) and `/s/<name>/message`
 * (where that stream's `endpoint` event sends the client's POSTs).
 */
const PROXY_PATH = /^\/(s|servers)\/([^/?#]+)\/(mcp|sse|message)$/;

export type ProxyEndpoint = 'mcp' | 'sse' | 'message';

export interface ProxyRoute {
  name: string;
  endpoint: ProxyEndpoint;
  /** The path the client used (either spelling), for URLs the gateway hands back, such as OAuth metadata. */
  path: string;
  query: string;
}

/** Splits a request target into the proxy route it names, or null when it is no proxy URL. */
export function matchProxyRoute(target: string): ProxyRoute | null {
  const question = target.indexOf('?');
  const path = question === -1 ? target : target.slice(0, question);
  const match = PROXY_PATH.exec(path);
  if (!match) return null;
  let name: string;
  try {
    name = decodeURIComponent(match[2] as string);
  } catch {
    return null;
  }
  return {
    name,
    endpoint: match[3] as ProxyEndpoint,
    path,
    query: question === -1 ? '' : target.slice(question + 1),
  };
}

export function proxyPath(name: string): string {
  return `/s/${name}/mcp`;
}

/** The legacy HTTP+SSE paths of a server, with the same prefix (`/s` or `/servers`) the client used. */
export function legacyPaths(route: ProxyRoute): { sse: string; message: string } {
  const base = route.path.slice(0, route.path.lastIndexOf('/'));
  return { sse: `${base}/sse`, message: `${base}/message` };
}
