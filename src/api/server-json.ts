import type { ServerOverview } from '../health/server-overview.js';
import { maskEntry } from './masking.js';

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

/** A server as the REST API and the management MCP server show it: secrets masked, times as ISO strings. */
export function overviewToJson(overview: ServerOverview) {
  return {
    name: overview.name,
    type: overview.type,
    proxyUrl: overview.proxyUrl,
    config: maskEntry(overview.config as Record<string, unknown>),
    status: overview.status,
    health: {
      ...overview.health,
      since: iso(overview.health.since),
      checkedAt: iso(overview.health.checkedAt),
    },
    messages: overview.messages,
    errors: overview.errors,
    sessions: overview.sessions,
    lastActivity: iso(overview.lastActivity),
  };
}

export type ServerJson = ReturnType<typeof overviewToJson>;
