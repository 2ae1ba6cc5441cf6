import type { ApiLimitSettings } from './api-limits.js';
import { ApiLimits } from './api-limits.js';
import { ConnectionCaps } from './connection-caps.js';
import { LimitCounts, type LimitHits } from './limit-counts.js';
import { ProxyLimits } from './proxy-limits.js';
import { describeRate, type Rate } from './rate.js';
import { SessionCaps } from './session-caps.js';

/** The limits a gateway runs with (config/options.ts fills in the defaults); 0 turns a cap off. */
export interface LimitSettings {
  readonly api: ApiLimitSettings;
  readonly maxConnectionsPerClient: number;
  readonly maxSessionsPerClient: number;
}

/** What GET /api/status shows of the limits: the settings in effect, and refusals since start. */
export interface LimitsStatus {
  settings: {
    apiRateLimit: string;
    apiRateLimitPerAddress: string;
    maxConnectionsPerClient: number;
    maxSessionsPerClient: number;
  };
  refused: LimitHits;
}

export interface GatewayLimits {
  api: ApiLimits;
  /** The proxy's gate: mcp.json rate limits and sessions per client. */
  proxy: ProxyLimits;
  /** null when `--max-connections-per-client 0`. */
  connections: ConnectionCaps | null;
  /** The settings and the refusals so far, by limit, for GET /api/status. */
  status(): LimitsStatus;
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
    status: () => ({
      settings: {
        apiRateLimit: shown(settings.api.perToken),
        apiRateLimitPerAddress: shown(settings.api.perAddress),
        maxConnectionsPerClient: settings.maxConnectionsPerClient,
        maxSessionsPerClient: settings.maxSessionsPerClient,
      },
      refused: counts.snapshot(),
    }),
  };
}

function shown(rate: Rate | null): string {
  return rate ? describeRate(rate) : 'off';
}
