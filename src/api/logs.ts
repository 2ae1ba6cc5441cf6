import { Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import { EMPTY_FILTER } from '../filter/ast.js';
import type { LogReads } from '../store/log-reads.js';
import type { AsyncLogStore } from '../store/log-store.js';
import { jsonBytes, jsonObject, RawJson } from './json-body.js';
import {
  bodiesParam,
  filterFromQuery,
  integerParam,
  orderParam,
  PAGE_BYTES_OF_BODIES,
  pagination,
  pagingParams,
  requestFilter,
} from './query-params.js';

/**
 * `/api/logs`: captured records.
 *   GET /              newest first (order=asc for oldest), `filter=` and the usual query parameters,
 *                      paged by keyset `cursor`; `fields=summary` leaves out message and headers
 *   GET /count         how many records match `filter=` (what a delete of it would remove)
 *   GET /:id           one record with its request/response partner
 *   DELETE /?filter=   deletes what matches (all=true to delete everything)
 *   POST /clear        deletes everything, or what `{"filter"}` / `{"server"}` in the body match
 */
export function logsRoutes(
  store: AsyncLogStore,
  reads: LogReads,
  onDeleted: (count: number) => void = () => {},
): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const { limit, cursor } = pagingParams(c);
    const bodies = bodiesParam(c.req.query('fields'));
    // Read before the page: every record up to it was there to be matched, so a live view of this
    // filter continues after it, however old the newest match is (/api/events?since=latestId).
    const latestId = await store.lastId();
    const page = await reads.listText(
      {
        filter: requestFilter(c),
        limit,
        order: orderParam(c.req.query('order')),
        cursor,
        bodies,
        maxBytes: PAGE_BYTES_OF_BODIES,
      },
      'json',
      c.req.raw.signal,
    );
    return jsonObject(c, {
      data: new RawJson(page.bytes),
      pagination: pagination(page.count, limit, page.hasMore, page.nextCursor),
      latestId,
    });
  });

  app.get('/count', async (c) => c.json({ count: await reads.count(requestFilter(c), c.req.raw.signal) }));

  app.get('/:id', async (c) => {
    const id = integerParam(c.req.param('id'), 'id', 1, Number.MAX_SAFE_INTEGER);
    // Record and partner are read and written as JSON in one reader call: a record of many MB costs this
    // thread a copy, not a parse and a stringify.
    const record = id === undefined ? null : await reads.recordText(id, c.req.raw.signal);
    if (!record) {
      throw new GatewayError(
        404,
        `No record with id ${c.req.param('id')}; it may have been deleted or pruned.`,
      );
    }
    return jsonBytes(c, record);
  });

  app.delete('/', async (c) => {
    const filter = requestFilter(c);
    if (filter.terms.length === 0 && c.req.query('all') !== 'true') {
      throw new GatewayError(
        400,
        'Say what to delete with filter= (for example filter=server:test), or delete every record with all=true.',
      );
    }
    const deleted = await store.deleteMatching(filter);
    onDeleted(deleted);
    return c.json({ deleted });
  });

  app.post('/clear', async (c) => {
    let filter = EMPTY_FILTER;
    const text = await c.req.text();
    if (text.trim() !== '') {
      let body: { filter?: unknown; server?: unknown };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new GatewayError(
          400,
          'The body must be JSON such as {"server": "name"} or {"filter": "..."}, or empty.',
        );
      }
      filter = filterFromQuery({
        filter: typeof body.filter === 'string' ? body.filter : undefined,
        server: typeof body.server === 'string' ? body.server : undefined,
      });
    }
    const deleted = await store.deleteMatching(filter);
    onDeleted(deleted);
    return c.json({ deleted });
  });

  return app;
}
