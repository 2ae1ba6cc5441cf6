import { type Context, Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import type { PrometheusMetrics } from '../telemetry/prometheus.js';
import type { Principal } from './authenticate.js';

export interface MetricsRouteDeps {
  /** Null where the app runs without them (tests that build the app alone). */
  metrics: PrometheusMetrics | null;
  /** Who is asking (throws 401/429 as the API's guard does); the role check follows the route table. */
  authenticate: (c: Context) => Principal;
  /** The route table's check (auth/route-rights.ts), so /metrics needs what its row says: viewer. */
  authorize: (principal: Principal, method: string, path: string) => void;
}

/**
 * `GET /metrics` on the gateway's port: the Prometheus text format, behind the gateway's token like the
 * REST API (scrape with `authorization: Bearer <token>`; Prometheus' `authorization` block). A token
 * limited to some servers gets those servers' series and the gateway-wide totals.
 */
export function metricsRoutes(deps: MetricsRouteDeps): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const principal = deps.authenticate(c);
    deps.authorize(principal, 'GET', '/metrics');
    if (!deps.metrics) throw new GatewayError(404, 'This gateway keeps no metrics.');
    // A token limited to some servers sees their series only, as it sees only their records.
    const { text, contentType } = await deps.metrics.scrape(principal.servers);
    return c.body(text, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });
  return app;
}
