import type { ApiLimitSettings } from './api-limits.js';
import { ApiLimits } from './api-limits.js';
import { ConnectionCaps } from './connection-caps.js';
import { LimitCounts, type LimitHits } from './limit-counts.js';
import { ProxyLimits } from './proxy-limits.js';
import { SessionCaps } from './session-caps.js';

/** The limits a gateway runs with (config/options.ts fills in the defaults); 0 turns a cap off. */
export interface LimitSettings {
  readonly api: ApiLimitSettings;
  readonly maxConnectionsPerClient: number;
  readonly maxSessionsPerClient: number;
}

export interface GatewayLimits {
  api: ApiLimits;
  /** The proxy's gate: mcp.json rate limits and sessions per client. */
  proxy: ProxyLimits;
  /** null when `--max-connections-per-client 0`. */
  connections: ConnectionCaps | null;
  /** Refusals so far, by limit, for GET /api/status. */
  hits(): LimitHits;
}

/** Every limit of one gateway, sharing one set of counters. */
export function createGatewayLimits(settings: LimitSettings, now?: () => number): GatewayLimits {
  const counts = new LimitCounts();
  const sessions =
    settings.maxSessionsPerClient > 0
      ? new SessionCaps(settings.maxSessionsPerClient, counts, { now })
      : null;
  return {
    api: new ApiLimits(settings.api, counts, now),
    proxy: new ProxyLimits(counts, sessions, now),
    connections:
      settings.maxConnectionsPerClient > 0
        ? new ConnectionCaps(settings.maxConnectionsPerClient, counts)
        : null,
    hits: () => counts.snapshot(),
  };
}
