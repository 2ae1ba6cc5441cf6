import type { HttpProxyOptions, ProxyTarget } from '../proxy/http-proxy.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_RESPONSE_TIMEOUT_MS,
  type HttpUpstream,
} from '../proxy/upstream.js';
import type { Registry } from '../registry/registry.js';
import type { RemoteServerConfig, ServerConfig } from '../registry/schema.js';
import type { ResolvedServer } from '../secrets/resolve-config.js';

type LocalConfig = Exclude<ServerConfig, RemoteServerConfig>;

export interface UpstreamResolverOptions {
  /** The proxy's handler for a stdio server, given its entry with references filled in. */
  localTarget: (name: string, config: LocalConfig) => ProxyTarget | undefined;
  /** Fills in the entry's references (`${VAR}`, `${secret:NAME}`); entries without any come back as they are. */
  expand: <T extends ServerConfig>(config: T) => ResolvedServer<T>;
  /** The answer for a server whose references cannot be filled in. */
  misconfigured: (name: string, problem: string) => ProxyTarget;
}

/**
 * Builds the proxy's view of a registered server. References are filled in each time a request or process
 * needs the entry (so a secret set or an env var fixed takes effect at once); the upstream is rebuilt only
 * when what they resolve to changes.
 */
export function createUpstreamResolver(
  registry: Registry,
  options: UpstreamResolverOptions,
): {
  resolve: HttpProxyOptions['resolve'];
  httpUpstream: (name: string) => HttpUpstream | undefined;
  /** What keeps a registered server from being used (a missing env var or secret), or null. */
  problem: (name: string) => string | null;
  /** The registered servers with references filled in; those that cannot be are left out. */
  resolvedServers: () => Map<string, ServerConfig>;
} {
  const built = new WeakMap<ServerConfig, { key: string; upstream: HttpUpstream }>();
  const expanded = (name: string): ResolvedServer<ServerConfig> | undefined => {
    const config = registry.get(name);
    return config ? options.expand(config) : undefined;
  };
  const httpUpstream = (name: string): HttpUpstream | undefined => {
    const raw = registry.get(name);
    if (raw?.type !== 'http' && raw?.type !== 'sse') return undefined;
    const result = options.expand(raw);
    if (!result.ok) return undefined;
    const config = result.config;
    // Without references the config object itself is the key; with them, what they resolved to.
    const key = config === raw ? '' : JSON.stringify(config);
    const cached = built.get(raw);
    if (cached && cached.key === key) return cached.upstream;
    const upstream: HttpUpstream = {
      name,
      url: new URL(config.url),
      headers: config.headers ?? {},
      connectTimeoutMs: config.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS,
      responseTimeoutMs: config.timeout ?? DEFAULT_RESPONSE_TIMEOUT_MS,
      transport: config.type,
    };
    built.set(raw, { key, upstream });
    return upstream;
  };
  const resolve = (name: string): ProxyTarget | undefined => {
    const result = expanded(name);
    if (!result) return undefined;
    if (!result.ok) return options.misconfigured(name, result.problem);
    const config = result.config;
    if (config.type === 'http' || config.type === 'sse') {
      const upstream = httpUpstream(name);
      return upstream ? { kind: config.type, upstream } : undefined;
    }
    return options.localTarget(name, config);
  };
  const problem = (name: string): string | null => {
    const result = expanded(name);
    return result && !result.ok ? result.problem : null;
  };
  const resolvedServers = (): Map<string, ServerConfig> => {
    const out = new Map<string, ServerConfig>();
    for (const [name, config] of registry.servers) {
      const result = options.expand(config);
      if (result.ok) out.set(name, result.config);
    }
    return out;
  };
  return { resolve, httpUpstream, problem, resolvedServers };
}
