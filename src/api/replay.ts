import { Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import { type ReplayDeps, replayRecord } from '../replay/replay.js';
import { replayOptions, replayToJson } from '../replay/replay-json.js';
import { integerParam } from './query-params.js';

/**
 * `POST /api/logs/:id/replay`: sends a captured client request again to its server, through the gateway's
 * own proxy, optionally edited (`{"message": …}`) and on the original session (`{"session": "original"}`).
 * Answers with the original and the replay as records, a structural diff of their answers and both durations.
 */
export function replayRoutes(deps: ReplayDeps): Hono {
  const app = new Hono();
  app.post('/:id/replay', async (c) => {
    const id = integerParam(c.req.param('id'), 'id', 1, Number.MAX_SAFE_INTEGER);
    if (id === undefined) throw new GatewayError(404, `No record with id ${c.req.param('id')}.`);
    const text = await c.req.text();
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new GatewayError(
          400,
          'The body must be JSON: {"message"?: <edited JSON-RPC request>, "session"?: "original"}, or empty to replay the request as it was.',
        );
      }
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new GatewayError(400, 'The body must be a JSON object: {"message"?: …, "session"?: …}.');
    }
    const outcome = await replayRecord(deps, id, replayOptions(body as Record<string, unknown>));
    return c.json(replayToJson(outcome));
  });
  return app;
}
