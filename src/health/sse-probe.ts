import { createParser } from 'eventsource-parser';
import { mediaType } from '../core/headers.js';
import { type CallOptions, PROBE_USER_AGENT } from './rpc-call.js';

const MAX_STREAM_PREFIX = 64 * 1024;

export interface EndpointAnswer {
  status: number;
  type: string;
  /** The URL the `endpoint` event named, or null when none came. */
  endpoint: string | null;
  latencyMs: number;
}

/**
 * Opens a legacy HTTP+SSE stream (MCP 2024-11-05, "HTTP with SSE") and waits for its first `endpoint`
 * event, which the server sends at once; then closes it, which ends the server's session.
 */
export async function awaitEndpointEvent(
  url: URL,
  headers: Readonly<Record<string, string>>,
  options: CallOptions,
): Promise<EndpointAnswer> {
  const started = performance.now();
  const signal = AbortSignal.timeout(options.timeoutMs);
  const response = await options.fetch(url, {
    method: 'GET',
    headers: { ...headers, accept: 'text/event-stream', 'user-agent': PROBE_USER_AGENT },
    signal,
    redirect: 'manual',
  });
  const type = mediaType(response.headers.get('content-type') ?? undefined);
  const answer: EndpointAnswer = { status: response.status, type, endpoint: null, latencyMs: 0 };
  if (!response.body) return { ...answer, latencyMs: elapsed(started) };
  if (response.status !== 200 || type !== 'text/event-stream') {
    void response.body.cancel().catch(() => {});
    return { ...answer, latencyMs: elapsed(started) };
  }
  const parser = createParser({
    onEvent: (event) => {
      if (event.event === 'endpoint') answer.endpoint ??= event.data.trim();
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let read = 0;
    while (answer.endpoint === null && read < MAX_STREAM_PREFIX) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.length;
      parser.feed(value);
    }
  } catch {
    // Timed out or cut: no endpoint is the answer.
  } finally {
    void reader.cancel().catch(() => {});
  }
  return { ...answer, latencyMs: elapsed(started) };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
