import { Hono } from 'hono';
import type { LogStore } from '../store/log-store.js';
import { clientToJson } from '../store/summary-json.js';

/** `GET /api/clients`: each client (name and version from initialize), its servers, sessions and traffic. */
export function clientsRoutes(store: LogStore): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json({ data: store.clients().map(clientToJson) }));
  return app;
}
