import type { ServerResponse } from 'node:http';
import { mediaType } from '../core/headers.js';
import { drained } from '../proxy/web-response.js';

// The translation of Node's request, shared with the proxy's own SSE bridge.
export { headerMapOf, toWebRequest } from '../proxy/web-response.js';

/**
 * The SDK's Streamable HTTP server transport speaks web-standard Request and Response; the proxy hands
 * over Node's request and response. These two functions translate, streaming SSE bodies as they are
 * written rather than buffering them.
 */

export function isEventStream(response: Response): boolean {
  return mediaType(response.headers.get('content-type') ?? undefined) === 'text/event-stream';
}

/**
 * Writes `response` to `res`. JSON bodies are sent whole with a Content-Length; event streams are flushed
 * event by event until the stream ends or the client goes away (which cancels the stream, so the transport
 * stops writing to it). Resolves with the body text for non-stream responses (for capture), else null.
 */
export async function writeWebResponse(res: ServerResponse, response: Response): Promise<string | null> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (!response.body || !isEventStream(response)) {
    const body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
    if (body) headers['content-length'] = String(body.length);
    res.writeHead(response.status, headers);
    res.end(body);
    return body ? body.toString('utf8') : '';
  }
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = response.body.getReader();
  const cancel = () => {
    reader.cancel().catch(() => {});
  };
  res.on('close', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drained(res);
      if (res.destroyed) break;
    }
    res.end();
  } catch {
    res.destroy();
  } finally {
    res.off('close', cancel);
  }
  return null;
}
