import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { GatewayError, jsonRpcErrorBody } from '../core/errors.js';
import { FilterError } from '../filter/errors.js';
import { bodyTooLarge, discardRequestBody } from '../proxy/request-body.js';

/**
 * REST errors are `{"error": "<what happened and what to do>"}` with a status that tells the truth. A bad
 * filter also says where (`position`, `length`, 0-based in the filter text) and what was likely meant
 * (`suggestion`), so an editor can underline it.
 */
export function apiError(c: Context, error: unknown, log: (message: string) => void): Response {
  if (error instanceof FilterError) return c.json(error.toJSON(), 400);
  if (error instanceof GatewayError) {
    return c.json({ ...error.details, error: error.message }, error.status as 400, error.headers);
  }
  if (error instanceof HTTPException && error.status === 413) return tooLargeResponse(c);
  if (error instanceof HTTPException) return c.json({ error: error.message }, error.status);
  log(`internal error on ${c.req.method} ${c.req.path}: ${(error as Error).stack ?? String(error)}`);
  return c.json({ error: 'Internal error in the gateway; details are in its terminal output.' }, 500);
}

/**
 * The 413 for a body past a route's limit. Its answer is sent at once but the response ends only once the
 * rest of the body has been read (see discardRequestBody), so the client can read it instead of a reset.
 */
export function tooLargeResponse(c: Context, limit?: number, jsonRpc = false): Response {
  const error = limit
    ? bodyTooLarge(limit, 'Send a smaller body.')
    : new GatewayError(413, 'Request body is larger than this endpoint accepts. Send a smaller body.');
  const text = jsonRpc
    ? jsonRpcErrorBody(null, error.rpcCode, error.message)
    : JSON.stringify({ error: error.message });
  const body = new TextEncoder().encode(text);
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body);
      if (!incoming) return controller.close();
      // One turn later: the web stream Hono laid over the body has attached its reader by then, and
      // discardRequestBody takes the body away from it.
      setImmediate(() => {
        void discardRequestBody(incoming).then(() => {
          if (!cancelled) controller.close();
        });
      });
    },
    cancel() {
      cancelled = true;
    },
  });
  return new Response(stream, {
    status: 413,
    headers: {
      'content-type': 'application/json',
      'content-length': String(body.length),
      connection: 'close',
    },
  });
}

/** Reads a JSON object body, or fails with a 400 that says what was wrong. */
export async function jsonObjectBody(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (error) {
    if (error instanceof HTTPException) throw error;
    throw new GatewayError(400, 'The request body must be JSON (Content-Type: application/json).');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError(400, 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}
