import type { ServerStatus, ServerStatusProvider } from '../core/server-status.js';
import type { Registry } from '../registry/registry.js';
import type { ServerConfig } from '../registry/schema.js';
import type { AsyncLogStore } from '../store/log-store.js';
import type { HealthMonitor } from './monitor.js';
import type { HealthReport } from './types.js';

/** One registered server as the API, the UI and the MCP tools show it. */
export interface ServerOverview {
  name: string;
  type: ServerConfig['type'];
  proxyUrl: string;
  /** The configuration as registered; callers mask secrets before showing it. */
  config: ServerConfig;
  /** The process state, for servers a status provider knows (stdio); null for HTTP servers. */
  status: ServerStatus | null;
  health: HealthReport;
  messages: number;
  errors: number;
  sessions: number;
  lastActivity: number | null;
}

export interface OverviewDeps {
  registry: Registry;
  health: HealthMonitor;
  store: AsyncLogStore;
  statusProviders: readonly ServerStatusProvider[];
  proxyUrl: (name: string) => string;
}

export function statusOf(providers: readonly ServerStatusProvider[], name: string): ServerStatus | undefined {
  for (const provider of providers) {
    const status = provider(name);
    if (status) return status;
  }
  return undefined;
}

/** Registry config, health, process status, traffic counts and last activity, merged per server. */
export async function serverOverviews(deps: OverviewDeps, only?: string): Promise<ServerOverview[]> {
  const totals = new Map((await deps.store.serverTotals()).map((t) => [t.server, t]));
  const names = only === undefined ? deps.registry.names() : [only];
  const overviews: ServerOverview[] = [];
  for (const name of names) {
    const config = deps.registry.get(name);
    if (!config) continue;
    const total = totals.get(name);
    overviews.push({
      name,
      type: config.type,
      proxyUrl: deps.proxyUrl(name),
      config,
      status: statusOf(deps.statusProviders, name) ?? null,
      health: deps.health.report(name),
      messages: total?.messages ?? 0,
      errors: total?.errors ?? 0,
      sessions: total?.sessions ?? 0,
      lastActivity: total?.lastSeen ?? null,
    });
  }
  return overviews;
}

/** Restarts a server (a stdio process; for HTTP, its connections) and says what was done. */
export type RestartServer = (name: string) => Promise<string>;
