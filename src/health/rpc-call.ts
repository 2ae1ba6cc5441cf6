import { createParser } from 'eventsource-parser';
import { mediaType } from '../core/headers.js';
import { VERSION } from '../core/version.js';

const MAX_PROBE_BODY = 64 * 1024;
export const PROBE_USER_AGENT = `mcp-gateway-health/${VERSION}`;

/** What one health-check request got back. */
export interface RpcAnswer {
  status: number;
  /** The response's media type, '' when none. */
  type: string;
  /** A JSON-RPC result, a JSON-RPC error, or neither (no body, not JSON-RPC, another id). */
  outcome: 'result' | 'error' | 'none';
  result: Record<string, unknown> | null;
  error: { code: number | null; message: string } | null;
  headers: Headers;
  latencyMs: number;
}

export interface CallOptions {
  fetch: typeof fetch;
  timeoutMs: number;
}

/** POSTs one JSON-RPC message as a client would, and reads the answer to `id` from JSON or SSE (capped). */
export async function rpcCall(
  url: URL,
  headers: Readonly<Record<string, string>>,
  message: { id?: string; method: string; params?: unknown },
  options: CallOptions,
): Promise<RpcAnswer> {
  const started = performance.now();
  const response = await options.fetch(url, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'user-agent': PROBE_USER_AGENT,
    },
    body: JSON.stringify({ jsonrpc: '2.0', ...message }),
    signal: AbortSignal.timeout(options.timeoutMs),
    redirect: 'manual',
  });
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const type = mediaType(response.headers.get('content-type') ?? undefined);
  let value: unknown;
  try {
    value = await answerTo(response, type, message.id);
  } catch {
    value = undefined;
  }
  const answer = asObject(value);
  const error = asObject(answer?.error);
  const outcome = answer && 'result' in answer ? 'result' : error ? 'error' : 'none';
  return {
    status: response.status,
    type,
    outcome,
    result: outcome === 'result' ? (asObject(answer?.result) ?? {}) : null,
    error: error
      ? {
          code: typeof error.code === 'number' ? error.code : null,
          message: typeof error.message === 'string' ? error.message : '',
        }
      : null,
    headers: response.headers,
    latencyMs,
  };
}

/** The JSON-RPC answer in the body: a JSON body, or the SSE event answering `id` (notifications before it skipped). */
async function answerTo(response: Response, type: string, id: string | undefined): Promise<unknown> {
  if (!response.body) return undefined;
  if (type !== 'application/json' && type !== 'text/event-stream') {
    void response.body.cancel().catch(() => {});
    return undefined;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  let found: unknown;
  const parser = createParser({
    onEvent: (event) => {
      if (found !== undefined) return;
      try {
        const value = asObject(JSON.parse(event.data));
        if (value && ('result' in value || 'error' in value) && (id === undefined || value.id === id)) {
          found = value;
        }
      } catch {
        // Not JSON: not the answer.
      }
    },
  });
  try {
    let read = 0;
    while (read < MAX_PROBE_BODY && found === undefined) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.length;
      if (type === 'text/event-stream') parser.feed(value);
      else text += value;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
  if (type === 'text/event-stream') return found;
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? parsed.find((m) => asObject(m)?.id === id) : parsed;
}

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
