import { Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import type { HealthMonitor } from '../health/monitor.js';
import { type OverviewDeps, type RestartServer, serverOverviews } from '../health/server-overview.js';
import { overviewToJson } from './server-json.js';

export interface ServersDeps extends OverviewDeps {
  health: HealthMonitor;
  restartServer: RestartServer;
}

/**
 * `/api/servers`: every registered server with its status, health, traffic counts and last activity
 * (configuration secrets masked). `POST /:name/health-check` checks one now; `POST /:name/restart`
 * restarts it. The registry itself is edited under `/api/servers/config`.
 */
export function serversRoutes(deps: ServersDeps): Hono {
  const app = new Hono();

  const known = (name: string) => {
    if (!deps.registry.get(name)) {
      const names = deps.registry.names();
      throw new GatewayError(
        404,
        `No server named "${name}"; registered: ${names.length > 0 ? names.join(', ') : '(none)'}.`,
      );
    }
    return name;
  };

  app.get('/', async (c) => c.json({ data: (await serverOverviews(deps)).map(overviewToJson) }));

  app.get('/:name', async (c) => {
    const [overview] = await serverOverviews(deps, known(c.req.param('name')));
    return c.json(overview ? overviewToJson(overview) : null);
  });

  app.post('/:name/health-check', async (c) => {
    const name = known(c.req.param('name'));
    await deps.health.check(name);
    const [overview] = await serverOverviews(deps, name);
    return c.json(overview ? overviewToJson(overview) : null);
  });

  app.post('/:name/restart', async (c) => {
    const name = known(c.req.param('name'));
    const detail = await deps.restartServer(name);
    const [overview] = await serverOverviews(deps, name);
    return c.json({ restarted: name, detail, server: overview ? overviewToJson(overview) : null });
  });

  return app;
}
