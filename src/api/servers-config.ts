import { Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import type { Registry } from '../registry/registry.js';
import { jsonObjectBody } from './errors.js';
import { maskEntry, unmaskEntry } from './masking.js';

export interface ServersConfigDeps {
  registry: Registry;
  /** The proxy URL clients should use for a server. */
  proxyUrl: (name: string) => string;
}

/**
 * `GET|POST /api/servers/config`, `PUT|DELETE /api/servers/config/<name>`: the registry over REST. Writes go
 * to mcp.json atomically; a malformed mcp.json is never overwritten (409 until it is fixed by hand).
 */
export function serversConfigRoutes({ registry, proxyUrl }: ServersConfigDeps): Hono {
  const app = new Hono();

  const describe = (name: string) => {
    const config = registry.get(name);
    if (!config) return null;
    return { name, ...maskEntry(config as Record<string, unknown>), proxyUrl: proxyUrl(name) };
  };

  app.get('/', (c) =>
    c.json({
      path: registry.path,
      error: registry.error,
      servers: registry.names().map(describe),
    }),
  );

  app.get('/:name', (c) => {
    const server = describe(c.req.param('name'));
    if (!server) throw new GatewayError(404, `No server named "${c.req.param('name')}".`);
    return c.json(server);
  });

  app.post('/', async (c) => {
    const body = await jsonObjectBody(c);
    const { name, ...entry } = body;
    if (typeof name !== 'string' || name === '') {
      throw new GatewayError(
        400,
        'Give the server a "name", such as {"name": "everything", "type": "http", "url": "..."}.',
      );
    }
    registry.add(name, entry);
    return c.json(describe(name), 201);
  });

  app.put('/:name', async (c) => {
    const name = c.req.param('name');
    const body = await jsonObjectBody(c);
    const { name: renamed, ...entry } = body;
    if (renamed !== undefined && renamed !== name) {
      throw new GatewayError(
        400,
        `Renaming is not supported: DELETE "${name}" and POST the server under its new name.`,
      );
    }
    const current = registry.get(name) as Record<string, unknown> | undefined;
    registry.replace(name, unmaskEntry(entry, current));
    return c.json(describe(name));
  });

  app.delete('/:name', (c) => {
    const name = c.req.param('name');
    registry.remove(name);
    return c.json({ deleted: name });
  });

  return app;
}
