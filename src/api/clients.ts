import { Hono } from 'hono';
import type { AsyncLogStore } from '../store/log-store.js';
import { clientToJson } from '../store/summary-json.js';

/** `GET /api/clients`: each client (name and version from initialize), its servers, sessions and traffic. */
export function clientsRoutes(store: AsyncLogStore): Hono {
  const app = new Hono();
  app.get('/', async (c) => c.json({ data: (await store.clients()).map(clientToJson) }));
  return app;
}
