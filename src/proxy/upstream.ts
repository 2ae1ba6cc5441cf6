import { Pool } from 'undici';

/** What the proxy needs to know about an HTTP upstream; the app builds it from the registry. */
export interface HttpUpstream {
  name: string;
  url: URL;
  /** Headers the server's configuration adds to every request (credentials, usually). */
  headers: Readonly<Record<string, string>>;
  connectTimeoutMs: number;
  /** Time allowed until the upstream's response headers arrive; an open stream is never cut by it. */
  responseTimeoutMs: number;
  /** Streamable HTTP (the default), or the legacy HTTP+SSE transport of MCP 2024-11-05. */
  transport?: 'http' | 'sse';
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_RESPONSE_TIMEOUT_MS = 120_000;

/**
 * One undici keep-alive pool per upstream server. Connections are reused across requests and clients; a
 * server whose address or connect timeout changes gets a fresh pool, the old one drains in the background.
 */
export class UpstreamPools {
  readonly #pools = new Map<string, { key: string; pool: Pool }>();

  get(upstream: HttpUpstream): Pool {
    const key = `${upstream.url.origin}|${upstream.connectTimeoutMs}`;
    const existing = this.#pools.get(upstream.name);
    if (existing?.key === key) return existing.pool;
    if (existing) void existing.pool.close().catch(() => {});
    const pool = new Pool(upstream.url.origin, {
      connect: { timeout: upstream.connectTimeoutMs },
      keepAliveTimeout: 10_000,
      // Streams (SSE) are long-lived; never let a pool-wide body timeout cut them.
      bodyTimeout: 0,
    });
    this.#pools.set(upstream.name, { key, pool });
    return pool;
  }

  /** A removed server's connections, open streams included, are closed at once. */
  forget(name: string): void {
    const existing = this.#pools.get(name);
    if (!existing) return;
    this.#pools.delete(name);
    void existing.pool.destroy().catch(() => {});
  }

  async closeAll(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map(({ pool }) => pool.destroy().catch(() => {})));
  }
}
