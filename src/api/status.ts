import { Hono } from 'hono';
import type { Scope } from '../auth/scope.js';
import type { CaptureStats } from '../capture/capture-queue.js';
import { gatewayCommand } from '../config/gateway-command.js';
import { VERSION } from '../core/version.js';
import type { LimitsStatus } from '../limits/gateway-limits.js';
import type { Registry } from '../registry/registry.js';
import type { AsyncLogStore } from '../store/log-store.js';
import { describeStore, type StoreSpec } from '../store/store-spec.js';

export interface StatusDeps {
  registry: Registry;
  /** Per-server totals are a small summary table kept by triggers: reading them costs the same at 1M records. */
  store: Pick<AsyncLogStore, 'serverTotals'>;
  /** Which store the gateway captures into, shown with any password masked. */
  storeSpec?: StoreSpec;
  /** This gateway's name on the records it captures (several gateways can share a PostgreSQL store). */
  instance?: string;
  captureStats: () => CaptureStats;
  /** Rate limits and caps in effect, and what they refused since start (docs/rate-limits.md). */
  limits?: () => LimitsStatus;
  startedAt: number;
  /** --proxy-auth: client configurations must carry a gateway token. */
  proxyAuth?: boolean;
  /** The servers the caller may see (auth/scope.ts); null for all of them. */
  scope?: () => Scope;
}

/**
 * What became of the messages capture saw, kept apart so that a full disk cannot pass for quiet traffic:
 * `captured` messages reached the capture writer; of those, `stored` are in logs.db and `failed` were
 * lost to write errors (disk full, read-only file). `dropped` never reached the writer: the queue was
 * full. The traffic itself was forwarded in every case. All four count this process since it started.
 */
export function recordCounts(stats: CaptureStats): {
  captured: number;
  stored: number;
  failed: number;
  dropped: number;
} {
  return {
    captured: stats.captured + stats.storeFailures,
    stored: stats.captured,
    failed: stats.storeFailures,
    dropped: stats.dropped,
  };
}

/** null when the store cannot be read: the status still answers, and says what it can. */
async function recordsInStore(store: StatusDeps['store']): Promise<number | null> {
  try {
    return (await store.serverTotals()).reduce((sum, server) => sum + server.messages, 0);
  } catch {
    return null;
  }
}

/** `GET /api/status`: the gateway's health at a glance, capture drops and write failures included. */
export function statusRoutes({
  registry,
  store,
  captureStats,
  limits,
  startedAt,
  proxyAuth = false,
  storeSpec,
  instance,
  scope = () => null,
}: StatusDeps): Hono {
  const app = new Hono();
  // Looked up once: PATH does not change under a running process.
  const command = gatewayCommand();
  app.get('/', async (c) => {
    const capture = captureStats();
    const inStore = await recordsInStore(store);
    // The process's own counters and mcp.json's errors span every server: a caller limited to some of them
    // sees what its servers hold (inStore, servers) and nothing that tells of the others' traffic.
    const whole = scope() === null;
    return c.json({
      version: VERSION,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      servers: registry.names().length,
      registryError: whole ? registry.error : null,
      capture: whole ? capture : null,
      records: {
        ...(whole ? recordCounts(capture) : { captured: null, stored: null, failed: null, dropped: null }),
        // What logs.db holds now, from every run and every process writing to it (earlier starts, wrap,
        // imports), after retention and deletes; the counts above are this process's since it started.
        inStore,
      },
      store: storeSpec ? describeStore(storeSpec) : null,
      instance: instance ?? null,
      limits: whole && limits ? limits() : null,
      // What client configs run for `mcp-gateway connect`/`wrap`: the bare name only if it is on PATH.
      command,
      // Proxy URLs need X-MCP-Gateway-Token (docs/tls.md): the UI's client configurations add it.
      proxyAuth,
    });
  });
  return app;
}
