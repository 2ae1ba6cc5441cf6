import { Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import { recordToJson } from '../core/record.js';
import type { LogQueries } from '../store/log-queries.js';

export const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

function integerParam(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new GatewayError(400, `"${name}" must be a whole number from ${min} to ${max}; got "${value}".`);
  }
  return number;
}

/** `GET /api/logs`: captured records, newest first, paged by keyset cursor. */
export function logsRoutes(queries: LogQueries): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    const q = c.req.query();
    const limit = integerParam(q.limit, 'limit', 1, MAX_PAGE) ?? DEFAULT_PAGE;
    const order = q.order ?? 'desc';
    if (order !== 'asc' && order !== 'desc') {
      throw new GatewayError(400, `"order" must be "asc" or "desc"; got "${order}".`);
    }
    const cursor = integerParam(q.cursor, 'cursor', 0, Number.MAX_SAFE_INTEGER);
    const page = queries.list({
      server: q.server || undefined,
      session: q.session || undefined,
      method: q.method || undefined,
      limit,
      order,
      cursor,
    });
    return c.json({
      data: page.records.map(recordToJson),
      pagination: { count: page.records.length, limit, hasMore: page.hasMore, nextCursor: page.nextCursor },
    });
  });
  app.get('/:id', (c) => {
    const id = integerParam(c.req.param('id'), 'id', 1, Number.MAX_SAFE_INTEGER);
    const record = id === undefined ? null : queries.get(id);
    if (!record) throw new GatewayError(404, `No record with id ${c.req.param('id')}.`);
    return c.json(recordToJson(record));
  });
  return app;
}
