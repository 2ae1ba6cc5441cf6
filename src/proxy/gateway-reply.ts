import type { ServerResponse } from 'node:http';
import { type GatewayError, type JsonRpcId, jsonRpcErrorBody } from '../core/errors.js';
import type { ExchangeCapture } from './exchange-capture.js';

/**
 * Answers the client with a JSON-RPC error produced by the gateway itself (JSON-RPC 2.0 section 5.1), with
 * an HTTP status that tells the truth, and records the answer like any other response. `end` finishes the
 * response; a refusal sent while the request body is still arriving passes one that waits for it.
 */
export function replyWithError(
  res: ServerResponse,
  error: GatewayError,
  id: JsonRpcId,
  capture: ExchangeCapture | null,
  extraHeaders: Record<string, string> = {},
  end: () => void = () => res.end(),
): void {
  if (res.headersSent) {
    res.destroy();
    capture?.end(error.message);
    return;
  }
  const body = Buffer.from(jsonRpcErrorBody(id, error.rpcCode, error.message, error.data));
  const headers = {
    ...extraHeaders,
    ...error.headers,
    'content-type': 'application/json',
    'content-length': String(body.length),
  };
  res.writeHead(error.status, headers);
  res.write(body);
  end();
  if (capture) {
    capture.responseStart(error.status, headers, 'json', 'gateway');
    capture.chunk(body);
    capture.end(null);
  }
}
