import type { CaptureStats } from '../capture/capture-queue.js';
import type { ServerStatus } from '../core/server-status.js';
import type { GatewaySnapshot, ServerSnapshot } from '../telemetry/prometheus.js';

export interface SnapshotSources {
  capture: () => CaptureStats;
  /** Registered servers and their transport. */
  servers: () => ReadonlyMap<string, { type: string }>;
  /** The health state the API shows for a server. */
  health: (name: string) => string;
  /** The process state of a stdio server the gateway runs. */
  process: (name: string) => ServerStatus | undefined;
}

/**
 * What /metrics reads at scrape time, from counts the gateway keeps anyway: the capture queue's
 * (updated by the worker's acknowledgements), the health monitor's last report and the stdio processes'
 * states. Nothing here queries the store.
 */
export function metricsSnapshot(sources: SnapshotSources): () => GatewaySnapshot {
  return () => {
    const stats = sources.capture();
    const servers: ServerSnapshot[] = [];
    for (const [name, entry] of sources.servers()) {
      const type = entry.type === 'stdio' ? 'stdio' : 'http';
      const server: ServerSnapshot = { name, type, health: sources.health(name) };
      if (type === 'stdio') {
        const status = sources.process(name);
        server.process = { state: status?.state ?? 'unknown', restarts: status?.restarts ?? 0 };
      }
      servers.push(server);
    }
    return {
      capture: {
        stored: stats.captured,
        dropped: stats.dropped,
        storeFailures: stats.storeFailures,
        storeWritable: stats.storeError === null,
        queuedEvents: stats.queuedEvents,
        queuedBytes: stats.queuedBytes,
        spans: stats.telemetry,
      },
      servers,
    };
  };
}
