import { GatewayError } from '../core/errors.js';
import type { HttpUpstream } from './upstream.js';

function errorCode(error: unknown): string | undefined {
  const direct = (error as { code?: unknown }).code;
  if (typeof direct === 'string') return direct;
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

/**
 * What the client is told when the upstream cannot be reached or does not answer: 502 when the upstream is
 * unreachable or broke the connection, 504 when it timed out, each naming the server, its URL and what to do.
 */
export function upstreamFailure(error: unknown, upstream: HttpUpstream): GatewayError {
  const where = `server "${upstream.name}" at ${upstream.url.href}`;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new GatewayError(
        504,
        `Timed out after ${upstream.connectTimeoutMs} ms connecting to ${where}. Check that it is running and reachable, or raise its "connectTimeout" in mcp.json.`,
        { cause: error },
      );
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new GatewayError(
        504,
        `${where} did not start answering within ${upstream.responseTimeoutMs} ms. It may be stuck; if it is just slow, raise its "timeout" in mcp.json.`,
        { cause: error },
      );
    case 'ECONNREFUSED':
      return new GatewayError(
        502,
        `Cannot reach ${where}: connection refused. Is the server running on that port?`,
        {
          cause: error,
        },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new GatewayError(
        502,
        `Cannot reach ${where}: host "${upstream.url.hostname}" was not found. Check the server's URL in mcp.json.`,
        { cause: error },
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new GatewayError(
        502,
        `Cannot reach ${where}: no route to host. Check the network and the server's URL.`,
        {
          cause: error,
        },
      );
    default:
      return new GatewayError(
        502,
        `${where} failed before answering (${code ?? 'error'}: ${detail}). Check the server's logs; the request may be retried.`,
        { cause: error },
      );
  }
}
