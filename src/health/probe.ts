import { createParser } from 'eventsource-parser';
import { mediaType } from '../core/headers.js';
import { VERSION } from '../core/version.js';
import { maskText } from '../redaction/config-masking.js';
import type { HealthReport, HealthState } from './types.js';

export interface ProbeTarget {
  url: URL;
  /** The server's configured headers (credentials), sent as the proxy would send them. */
  headers: Readonly<Record<string, string>>;
}

export type ProbeResult = Pick<HealthReport, 'state' | 'latencyMs' | 'httpStatus' | 'detail'>;

export const PROBE_TIMEOUT_MS = 5_000;
const MAX_PROBE_BODY = 64 * 1024;

/**
 * A JSON-RPC `ping` (MCP "Ping" utility) POSTed as a client would, without a session. A server that needs
 * a session refuses it with a JSON-RPC error (MCP Streamable HTTP, "Session Management": 400 for requests
 * without a session id); a stateless one answers it. Either way a JSON-RPC answer proves an MCP endpoint,
 * and no upstream session is created per check.
 */
const PING = JSON.stringify({ jsonrpc: '2.0', id: 'mcp-gateway-health', method: 'ping' });

function isJsonRpcAnswer(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(isJsonRpcAnswer);
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  return message.jsonrpc === '2.0' && ('result' in message || 'error' in message);
}

/** The first JSON value of the body (a JSON body, or the first SSE event's data), read with a cap. */
async function firstJson(response: Response): Promise<unknown> {
  const type = mediaType(response.headers.get('content-type') ?? undefined);
  if (!response.body) return undefined;
  if (type !== 'application/json' && type !== 'text/event-stream') {
    void response.body.cancel().catch(() => {});
    return undefined;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  let event: string | undefined;
  const parser = createParser({ onEvent: (e) => (event ??= e.data) });
  try {
    while (text.length < MAX_PROBE_BODY && event === undefined) {
      const { done, value } = await reader.read();
      if (done) break;
      if (type === 'text/event-stream') parser.feed(value);
      else text += value;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
  try {
    return JSON.parse(type === 'text/event-stream' ? (event ?? '') : text);
  } catch {
    return undefined;
  }
}

function unreachable(error: unknown, timeoutMs: number): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs / 1000}s`;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused: is the server running, on this port?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found: check the host name in the URL';
    case 'ECONNRESET':
      return 'the connection was reset';
    default:
      return cause?.message ?? (error as Error).message;
  }
}

function classify(status: number, jsonRpc: boolean, type: string, path: string): [HealthState, string] {
  if (jsonRpc) return ['up', `an MCP endpoint answered ping with HTTP ${status}`];
  if (status === 401 || status === 403) {
    return ['auth-required', `needs credentials (HTTP ${status}): add them to the server's headers`];
  }
  if (status === 404)
    return ['not-found', `the host answers, but nothing is at ${path} (HTTP 404): check the URL's path`];
  if (status >= 500) return ['error', `server error (HTTP ${status})`];
  return [
    'error',
    `answered HTTP ${status} with ${type || 'no body'}, not JSON-RPC: is this the MCP endpoint?`,
  ];
}

/** Probes one HTTP MCP server. Never throws: every failure is a result. */
export async function probeMcpEndpoint(
  target: ProbeTarget,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const started = performance.now();
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(target.url, {
      method: 'POST',
      headers: {
        ...target.headers,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'user-agent': `mcp-gateway-health/${VERSION}`,
      },
      body: PING,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
  } catch (error) {
    // Error texts may quote the URL, query secrets and password included; the detail is shown and stored.
    return {
      state: 'down',
      latencyMs: null,
      httpStatus: null,
      detail: maskText(unreachable(error, timeoutMs)),
    };
  }
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  let value: unknown;
  try {
    value = await firstJson(response);
  } catch {
    value = undefined;
  }
  const type = mediaType(response.headers.get('content-type') ?? undefined);
  const [state, detail] = classify(response.status, isJsonRpcAnswer(value), type, target.url.pathname);
  return { state, latencyMs, httpStatus: response.status, detail };
}
