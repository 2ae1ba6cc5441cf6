/** Proxy URLs: `/s/<name>/mcp`, and the longer alias `/servers/<name>/mcp`. */
const PROXY_PATH = /^\/(s|servers)\/([^/?#]+)\/mcp$/;

export interface ProxyRoute {
  name: string;
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
  return { name, path, query: question === -1 ? '' : target.slice(question + 1) };
}

export function proxyPath(name: string): string {
  return `/s/${name}/mcp`;
}
