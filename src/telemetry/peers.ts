import type { Peer } from './otel-export.js';

/** A registered server as far as its address goes: HTTP (and legacy SSE) servers have a URL. */
export interface AddressedServer {
  type: string;
  url?: string;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * Where each HTTP server's upstream listens, for `server.address`/`server.port` on the gateway's client
 * spans (the conventions ask for the server behind any intermediary). A URL with `${VAR}` references in
 * its host is left out: the gateway fills those in per request and never ships the values to the worker.
 */
export function upstreamPeers(servers: ReadonlyMap<string, AddressedServer>): Record<string, Peer> {
  const peers: Record<string, Peer> = {};
  for (const [name, server] of servers) {
    if (!server.url) continue;
    try {
      const url = new URL(server.url);
      if (url.hostname.includes('$')) continue;
      const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
      if (port === undefined) continue;
      peers[name] = { address: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
    } catch {
      // A URL the registry accepted but URL cannot parse gets no address; the span still goes out.
    }
  }
  return peers;
}
