import type { ServerResponse } from 'node:http';
import { type GatewayError, type JsonRpcId, jsonRpcErrorBody } from '../core/errors.js';
import type { ExchangeCapture } from './exchange-capture.js';

/**
 * Answers the client with a JSON-RPC error produced by the gateway itself (JSON-RPC 2.0 section 5.1), with
 * an HTTP status that tells the truth, and records the answer like any other response.
 */
export function replyWithError(
  res: ServerResponse,
  error: GatewayError,
  id: JsonRpcId,
  capture: ExchangeCapture | null,
  extraHeaders: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    capture?.end(error.message);
    return;
  }
  const body = Buffer.from(jsonRpcErrorBody(id, error.rpcCode, error.message));
  const headers = {
    ...extraHeaders,
    ...error.headers,
    'content-type': 'application/json',
    'content-length': String(body.length),
  };
  res.writeHead(error.status, headers);
  res.end(body);
  if (capture) {
    capture.responseStart(error.status, headers, 'json', 'gateway');
    capture.chunk(body);
    capture.end(null);
  }
}
