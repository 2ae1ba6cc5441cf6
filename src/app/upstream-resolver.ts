import type { HttpProxyOptions, ProxyTarget } from '../proxy/http-proxy.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_RESPONSE_TIMEOUT_MS,
  type HttpUpstream,
} from '../proxy/upstream.js';
import type { Registry } from '../registry/registry.js';
import type { RemoteServerConfig, ServerConfig } from '../registry/schema.js';

/** Builds the proxy's view of a registered server, once per configuration (not once per request). */
export function createUpstreamResolver(
  registry: Registry,
  localTarget: (name: string, config: Exclude<ServerConfig, RemoteServerConfig>) => ProxyTarget | undefined,
): { resolve: HttpProxyOptions['resolve']; httpUpstream: (name: string) => HttpUpstream | undefined } {
  const built = new WeakMap<ServerConfig, HttpUpstream>();
  const httpUpstream = (name: string): HttpUpstream | undefined => {
    const config = registry.get(name);
    if (config?.type !== 'http' && config?.type !== 'sse') return undefined;
    let upstream = built.get(config);
    if (!upstream) {
      upstream = {
        name,
        url: new URL(config.url),
        headers: config.headers ?? {},
        connectTimeoutMs: config.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS,
        responseTimeoutMs: config.timeout ?? DEFAULT_RESPONSE_TIMEOUT_MS,
        transport: config.type,
      };
      built.set(config, upstream);
    }
    return upstream;
  };
  const resolve = (name: string): ProxyTarget | undefined => {
    const config = registry.get(name);
    if (!config) return undefined;
    if (config.type === 'http' || config.type === 'sse') {
      const upstream = httpUpstream(name);
      return upstream ? { kind: config.type, upstream } : undefined;
    }
    return localTarget(name, config);
  };
  return { resolve, httpUpstream };
}
