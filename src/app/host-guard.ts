import { networkInterfaces } from 'node:os';
import { GatewayError } from '../core/errors.js';

/**
 * DNS rebinding protection (MCP security best practices; MCP Streamable HTTP, "Security Warning"): a web
 * page on another site can make a browser send requests to localhost under its own host name. Every
 * request, proxy included, must name the gateway in Host, and an Origin, when present, must be one of the
 * gateway's own hosts (any port: a local web client such as the MCP Inspector runs on its own port).
 */
export interface HostGuardOptions {
  /** The address the gateway is bound to. */
  host: string;
  /** Extra host names given with --allowed-hosts. */
  allowedHosts: readonly string[];
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The host names the gateway answers to, in Host-header spelling (IPv6 in brackets). */
export function allowedHostNames(options: HostGuardOptions): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  for (const host of options.allowedHosts) names.add(bracketed(host.toLowerCase()));
  if (WILDCARD_HOSTS.has(options.host)) {
    // Bound to every interface: the machine's own addresses are fine (a rebinding attack uses a DNS name).
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) names.add(bracketed(address.address.toLowerCase()));
    }
  } else {
    names.add(bracketed(options.host.toLowerCase()));
  }
  return names;
}

/** The host name of a Host header value, without port, lowercase. */
export function hostNameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end === -1 ? value : value.slice(0, end + 1);
  }
  const colon = value.indexOf(':');
  const name = colon === -1 ? value : value.slice(0, colon);
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

export type HostCheck = (host: string | undefined, origin: string | undefined) => GatewayError | null;

export function createHostGuard(options: HostGuardOptions): HostCheck {
  const allowed = allowedHostNames(options);
  return (host, origin) => {
    if (!host)
      return new GatewayError(400, 'Bad request: the Host header is missing. Use an HTTP/1.1 client.');
    const name = hostNameOf(host);
    if (!allowed.has(name)) {
      return new GatewayError(
        403,
        `Blocked request: this host ("${name}") is not allowed. Use localhost:<port>, or to allow this host, start the gateway with --allowed-hosts ${name}`,
      );
    }
    if (origin === undefined) return null;
    let originHost: string;
    try {
      const url = new URL(origin);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
      originHost = url.hostname.toLowerCase();
    } catch {
      return new GatewayError(
        403,
        `Blocked request from origin "${origin}": only web pages served from the gateway's own hosts (such as localhost) may call it.`,
      );
    }
    if (!allowed.has(bracketed(originHost))) {
      return new GatewayError(
        403,
        `Blocked request from origin "${origin}": pages from "${originHost}" may not call the gateway. To allow them, start the gateway with --allowed-hosts ${originHost}`,
      );
    }
    return null;
  };
}
