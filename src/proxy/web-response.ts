import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderMap, ResponseOrigin } from '../core/capture-events.js';
import { bodyMode, type ExchangeCapture } from './exchange-capture.js';

/**
 * The SDK's Streamable HTTP server transport speaks web-standard Request and Response; the proxy holds
 * Node's request and response. These translate, streaming SSE bodies event by event with a copy to capture.
 */

/** A Request with the client's method and headers; the body has already been read (and parsed) by the proxy. */
export function toWebRequest(req: IncomingMessage, extraHeaders: Record<string, string> = {}): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
  return new Request(`http://localhost${req.url ?? '/'}`, { method: req.method ?? 'GET', headers });
}

/** Node's parsed request headers as a capture header map (no undefined values). */
export function headerMapOf(req: IncomingMessage): HeaderMap {
  const map: HeaderMap = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) map[name] = value;
  }
  return map;
}

/**
 * Writes `response` to `res` and reports it to `capture`. Whole bodies leave in one write; an event stream
 * is written as the transport produces it, with backpressure, until it ends or the client goes away (which
 * cancels it, so the transport stops writing to it). A client ending its stream is a normal end.
 */
export async function relayWebResponse(
  res: ServerResponse,
  response: Response,
  capture: ExchangeCapture,
  origin: ResponseOrigin,
): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const mode = bodyMode(headers['content-type'], response.status);
  if (!response.body || mode !== 'sse') {
    const body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
    if (body) headers['content-length'] = String(body.length);
    res.writeHead(response.status, headers);
    res.end(body);
    capture.responseStart(response.status, headers, body?.length ? mode : 'none', origin);
    if (body?.length) capture.chunk(body);
    capture.end(null);
    return;
  }
  res.writeHead(response.status, headers);
  res.flushHeaders();
  capture.responseStart(response.status, headers, 'sse', origin);
  const reader = response.body.getReader();
  const cancel = () => {
    reader.cancel().catch(() => {});
  };
  res.on('close', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      capture.chunk(value);
      if (!res.write(value)) await drained(res);
    }
    res.end();
    capture.end(null);
  } catch (error) {
    res.destroy();
    capture.end(`the response stream broke: ${(error as Error).message}`);
  } finally {
    res.off('close', cancel);
  }
}

/** Resolves when `res` can take more (or is gone): the backpressure wait of a streamed response. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
