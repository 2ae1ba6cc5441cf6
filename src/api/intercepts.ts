import { Hono } from 'hono';
import { requestScope } from '../auth/request-principal.js';
import { GatewayError } from '../core/errors.js';
import type { Breakpoints } from '../intercept/breakpoints.js';
import { addRule, listHeld, listRules, releaseHeld, removeRule } from '../intercept/intercept-ops.js';
import { jsonObjectBody } from './errors.js';

/**
 * `/api/intercepts`: breakpoints (the REST contract).
 *   GET    /                        the rules, with the caps and how many matches passed over them
 *   POST   /                        a rule {"filter", "direction"?, "timeoutMs"?, "onTimeout"?}
 *   DELETE /:id                     removes a rule; what it holds goes on
 *   GET    /held                    the messages held now
 *   POST   /held/:id/forward        sends it on; {"message"} sends an edited message instead
 *   POST   /held/:id/drop           its sender gets a JSON-RPC error saying the gateway dropped it
 *   POST   /held/:id/reply          {"message"}: answers a held request in the other party's place
 * Everything is scoped: a token limited to some servers sees and acts on their rules and messages only.
 */
export function interceptsRoutes(breakpoints: Breakpoints): Hono {
  const app = new Hono();
  const summary = () => ({
    limits: { rules: breakpoints.limits.rules, held: breakpoints.limits.held },
    passedOverCap: breakpoints.passedOverCap,
  });

  app.get('/', (c) => c.json({ rules: listRules(breakpoints, requestScope()), ...summary() }));

  app.post('/', async (c) => {
    const rule = addRule(breakpoints, await jsonObjectBody(c), requestScope());
    return c.json(rule, 201);
  });

  app.get('/held', (c) => c.json({ held: listHeld(breakpoints, requestScope()), ...summary() }));

  app.delete('/:id', (c) => c.json({ removed: removeRule(breakpoints, c.req.param('id'), requestScope()) }));

  for (const action of ['forward', 'drop', 'reply'] as const) {
    app.post(`/held/:id/${action}`, async (c) => {
      const id = Number(c.req.param('id'));
      if (!Number.isInteger(id) || id < 1) {
        throw new GatewayError(
          400,
          `A held message id is a whole number (GET /api/intercepts/held); got "${c.req.param('id')}".`,
        );
      }
      const hasBody = (c.req.header('content-length') ?? '0') !== '0' || c.req.header('transfer-encoding');
      const body = hasBody ? await jsonObjectBody(c) : {};
      if (action === 'reply' && body.message === undefined) {
        throw new GatewayError(
          400,
          'A reply needs {"message": {"result": ...}} or {"message": {"error": {"code", "message"}}}: the response to send in the other party\'s place.',
        );
      }
      const held = releaseHeld(breakpoints, id, action, body.message, requestScope());
      return c.json({ released: held, action });
    });
  }

  return app;
}
