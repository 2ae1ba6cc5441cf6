import type { LiveFeed } from '../api/live-feed.js';
import { overviewToJson } from '../api/server-json.js';
import { GatewayError } from '../core/errors.js';
import type { ServerStatusProvider } from '../core/server-status.js';
import { HealthMonitor } from '../health/monitor.js';
import { type RestartServer, serverOverviews, statusOf } from '../health/server-overview.js';
import type { HealthChange } from '../health/types.js';
import type { HttpUpstream } from '../proxy/upstream.js';
import type { Registry, RegistryChange } from '../registry/registry.js';
import type { AsyncLogStore } from '../store/log-store.js';

export interface InsightDeps {
  registry: Registry;
  store: AsyncLogStore;
  liveFeed: LiveFeed;
  httpUpstream: (name: string) => HttpUpstream | undefined;
  statusProviders: readonly ServerStatusProvider[];
  healthIntervalMs: number;
  proxyUrl: (name: string) => string;
  /** Drops the gateway's connections to an HTTP server. */
  forgetConnections: (name: string) => void;
  /** Restarts a server the gateway runs itself (a stdio process). */
  restartLocal: RestartServer;
  info: (message: string) => void;
  warn: (message: string) => void;
}

function healthLine(change: HealthChange): string {
  const { report } = change;
  const was = change.previous === 'unknown' ? '' : `, was ${change.previous}`;
  return `health: ${change.server} is ${report.state}${was}${report.detail ? ` — ${report.detail}` : ''}`;
}

/**
 * Health monitoring and what follows from it, wired once: a change of a server's health is pushed on the
 * live feed; a change seen by an HTTP probe is printed and recorded on the server's timeline (stdio
 * process changes are reported by the process supervisor itself). Registry changes reach the live feed
 * and get the server checked at once.
 */
export function startInsight(deps: InsightDeps): {
  health: HealthMonitor;
  restartServer: RestartServer;
  stop(): void;
} {
  const health = new HealthMonitor({
    servers: () => deps.registry.names(),
    target: (name) => {
      const upstream = deps.httpUpstream(name);
      return upstream
        ? { url: upstream.url, headers: upstream.headers, transport: upstream.transport ?? 'http' }
        : undefined;
    },
    processStatus: (name) => statusOf(deps.statusProviders, name),
    intervalMs: deps.healthIntervalMs,
    onListenerError: (error) => deps.warn(`reporting a health change failed: ${(error as Error).message}`),
  });
  const overview = {
    registry: deps.registry,
    health,
    store: deps.store,
    statusProviders: deps.statusProviders,
    proxyUrl: deps.proxyUrl,
  };

  health.onChange((change) => {
    // The store answers asynchronously: a failed read or note is reported, and health checks go on.
    const failed = (what: string) => (error: unknown) =>
      deps.warn(`${what} for ${change.server} failed: ${(error as Error).message}`);
    serverOverviews(overview, change.server).then(([server]) => {
      if (!server) return;
      deps.liveFeed.broadcast({
        type: 'server-health',
        server: change.server,
        previous: change.previous,
        health: overviewToJson(server).health,
        source: change.source,
      });
    }, failed('announcing a health change'));
    if (change.source === 'process') return;
    const line = healthLine(change);
    deps.info(line);
    // Coming up at startup is the normal case, not worth a record; every other change is.
    if (!(change.previous === 'unknown' && change.report.state === 'up')) {
      deps.store
        .appendNote({ server: change.server, text: line, note: 'health' })
        .catch(failed('noting a health change'));
    }
  });

  const unsubscribe = deps.registry.onChange((change: RegistryChange) => {
    for (const name of change.removed) health.forget(name);
    for (const name of [...change.added, ...change.updated]) void health.check(name);
    deps.liveFeed.broadcast({ type: 'servers-changed', ...change });
  });
  health.start();

  const restartServer: RestartServer = async (name) => {
    const config = deps.registry.get(name);
    if (!config) throw new GatewayError(404, `No server named "${name}".`);
    if (config.type === 'stdio') return deps.restartLocal(name);
    deps.forgetConnections(name);
    const report = await health.check(name);
    return `Dropped the gateway's connections to ${name}; health: ${report.state}${report.detail ? ` — ${report.detail}` : ''}.`;
  };

  return {
    health,
    restartServer,
    stop() {
      unsubscribe();
      health.stop();
      deps.liveFeed.close();
    },
  };
}
