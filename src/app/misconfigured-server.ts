import type { CaptureSink } from '../core/capture-events.js';
import { GatewayError } from '../core/errors.js';
import { parseJsonBody, singleRequestId } from '../core/jsonrpc.js';
import { ExchangeCapture } from '../proxy/exchange-capture.js';
import { upstreamRequestHeaders } from '../proxy/forward-headers.js';
import { replyWithError } from '../proxy/gateway-reply.js';
import type { LocalHandler } from '../proxy/http-proxy.js';

/**
 * What a client gets from a server whose mcp.json entry refers to an env var or secret that is not set:
 * 503 (the gateway cannot serve it until the owner fixes that; RFC 9110 section 15.6.4) with a JSON-RPC
 * error naming what is missing. Nothing is contacted or started with an empty value in its place. The
 * answer is recorded on the server's timeline like any other.
 */
export function misconfiguredServer(
  name: string,
  problem: string,
  capture: CaptureSink,
  maxCaptureBytes: number,
): LocalHandler {
  return (req, res, body) => {
    const text = body?.toString('utf8');
    const id = text === undefined ? null : singleRequestId(parseJsonBody(text));
    const exchange = new ExchangeCapture(capture, maxCaptureBytes);
    const headers = upstreamRequestHeaders(req.rawHeaders, {});
    const session = req.headers['mcp-session-id'];
    exchange.start(
      name,
      req.method ?? 'GET',
      typeof session === 'string' ? session : null,
      headers.map,
      headers.configured,
      body,
      text,
    );
    const error = new GatewayError(
      503,
      `Server "${name}" is misconfigured, so the gateway did not contact it: ${problem}. The gateway retries on the next request.`,
    );
    replyWithError(res, error, id, exchange);
  };
}
