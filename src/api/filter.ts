import { Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import { describeFilterLanguage } from '../filter/describe.js';
import { findField } from '../filter/fields.js';
import { parseFilter } from '../filter/parser.js';
import type { Registry } from '../registry/registry.js';
import type { AsyncLogStore } from '../store/log-store.js';
import { integerParam } from './query-params.js';

/**
 * `/api/filter`: the filter language for editors (the web UI's filter bar).
 *   GET /fields                       every field and operator with help and examples
 *   GET /values?field=method&prefix=  values seen for an open-ended field, for autocomplete
 *   GET /check?filter=...             200 with the parsed terms, or 400 with the position of the problem
 */
export function filterRoutes(store: AsyncLogStore, registry: Registry): Hono {
  const app = new Hono();
  const language = describeFilterLanguage();

  app.get('/fields', (c) => c.json(language));

  app.get('/values', async (c) => {
    const name = c.req.query('field') ?? '';
    const field = findField(name);
    if (!field) {
      throw new GatewayError(
        400,
        `"field" must name a filter field (GET /api/filter/fields lists them); got "${name}".`,
      );
    }
    const prefix = c.req.query('prefix') ?? '';
    const limit = integerParam(c.req.query('limit'), 'limit', 1, 200) ?? 20;
    if (field.values) {
      return c.json({
        field: field.name,
        values: field.values.filter((v) => v.startsWith(prefix)).slice(0, limit),
      });
    }
    if (!field.valuesFrom) return c.json({ field: field.name, values: [] });
    let values = await store.values(field.valuesFrom, prefix, limit);
    if (field.valuesFrom === 'servers') {
      // Registered servers count even before their first message.
      const registered = registry.names().filter((n) => n.startsWith(prefix));
      values = [...new Set([...registered, ...values])].sort().slice(0, limit);
    }
    return c.json({ field: field.name, values });
  });

  app.get('/check', (c) => c.json({ ok: true, terms: parseFilter(c.req.query('filter') ?? '').terms }));

  return app;
}
