import type { Context } from 'hono';
import { GatewayError } from '../core/errors.js';
import { FilterError } from '../filter/errors.js';

/**
 * REST errors are `{"error": "<what happened and what to do>"}` with a status that tells the truth. A bad
 * filter also says where (`position`, `length`, 0-based in the filter text) and what was likely meant
 * (`suggestion`), so an editor can underline it.
 */
export function apiError(c: Context, error: unknown, log: (message: string) => void): Response {
  if (error instanceof FilterError) return c.json(error.toJSON(), 400);
  if (error instanceof GatewayError) {
    return c.json({ error: error.message }, error.status as 400, error.headers);
  }
  log(`internal error on ${c.req.method} ${c.req.path}: ${(error as Error).stack ?? String(error)}`);
  return c.json({ error: 'Internal error in the gateway; details are in its terminal output.' }, 500);
}

/** Reads a JSON object body, or fails with a 400 that says what was wrong. */
export async function jsonObjectBody(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new GatewayError(400, 'The request body must be JSON (Content-Type: application/json).');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError(400, 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}
