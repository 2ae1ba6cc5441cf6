import { Hono } from 'hono';
import type { LogStore } from '../store/log-store.js';
import { methodToJson } from '../store/summary-json.js';

/**
 * `GET /api/methods` (`server=` to narrow): per server and method, messages, requests, errors, mean
 * duration and tokens, busiest first. Percentiles over time are in `/api/stats`.
 */
export function methodsRoutes(store: LogStore): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json({ data: store.methods(c.req.query('server') || undefined).map(methodToJson) }));
  return app;
}
