import { Hono } from 'hono';
import type { CaptureStats } from '../capture/capture-queue.js';
import { VERSION } from '../core/version.js';
import type { Registry } from '../registry/registry.js';

export interface StatusDeps {
  registry: Registry;
  captureStats: () => CaptureStats;
  startedAt: number;
}

/** `GET /api/status`: the gateway's health at a glance, capture drops included. */
export function statusRoutes({ registry, captureStats, startedAt }: StatusDeps): Hono {
  const app = new Hono();
  app.get('/', (c) =>
    c.json({
      version: VERSION,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      servers: registry.names().length,
      registryError: registry.error,
      capture: captureStats(),
    }),
  );
  return app;
}
