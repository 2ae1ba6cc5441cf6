import { Hono } from 'hono';
import type { AsyncLogStore } from '../store/log-store.js';
import { methodToJson } from '../store/summary-json.js';

/**
 * `GET /api/methods` (`server=` to narrow): per server and method, messages, requests, errors, mean
 * duration and tokens, busiest first. Percentiles over time are in `/api/stats`.
 */
export function methodsRoutes(store: AsyncLogStore): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const methods = await store.methods(c.req.query('server') || undefined);
    return c.json({ data: methods.map(methodToJson) });
  });
  return app;
}
