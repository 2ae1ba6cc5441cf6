import { Hono } from 'hono';
import type { Identity } from '../auth/identity.js';
import { parseFaultInput } from '../faults/parse-rule.js';
import type { FaultRules } from '../faults/rules.js';
import { jsonObjectBody } from './errors.js';

type FaultsEnv = { Variables: { principal: Identity } };

/**
 * `/api/faults`: fault injection rules (docs/debugging.md).
 *   GET /          the armed rules this principal reaches
 *   POST /         add one: {"filter", "direction"?, "delayMs"?, "error"? {"code","message"}, "httpStatus"?,
 *                  "cut"? ("connection" | "stream"), "probability"?}; 201 with the rule
 *   DELETE /:id    remove one; 200 with the rule removed
 */
export function faultsRoutes(rules: FaultRules): Hono<FaultsEnv> {
  const app = new Hono<FaultsEnv>();
  const author = (principal: Identity) => ({ actor: principal.actor, servers: principal.servers });

  app.get('/', (c) =>
    c.json({ faults: rules.visibleTo(c.get('principal').servers) }, 200, { 'cache-control': 'no-store' }),
  );

  app.post('/', async (c) => {
    const input = parseFaultInput(await jsonObjectBody(c));
    return c.json({ fault: rules.add(input, author(c.get('principal'))) }, 201);
  });

  app.delete('/:id', (c) => c.json({ fault: rules.remove(c.req.param('id'), author(c.get('principal'))) }));

  return app;
}
