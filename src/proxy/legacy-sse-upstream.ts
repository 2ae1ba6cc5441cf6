import type { Readable } from 'node:stream';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../core/errors.js';
import { mediaType } from '../core/headers.js';
import type { HttpUpstream, UpstreamPools } from './upstream.js';
import { upstreamFailure } from './upstream-errors.js';

/** Longest wait for the `endpoint` event once the stream is open: servers send it first, at once. */
const ENDPOINT_TIMEOUT_MS = 10_000;
/** How much of an upstream's error answer is kept for the message a client sees. */
const MAX_ERROR_TEXT = 2_000;

export interface LegacySseEvents {
  /** Every event after `endpoint`, as sent: its `data` is one JSON-RPC message (2024-11-05, "HTTP with SSE"). */
  onEvent(event: EventSourceMessage): void;
  /** The stream ended (null) or broke (why); nothing more will arrive. */
  onClose(error: string | null): void;
}

export interface PostAnswer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * One connection to a server speaking the HTTP+SSE transport of MCP 2024-11-05: the GET stream it holds open,
 * and the URL its `endpoint` event named, where messages are POSTed. The server answers each POST with 202
 * and sends replies (and its own requests and notifications) as `message` events on the stream.
 */
export class LegacySseUpstream {
  readonly endpoint: URL;
  readonly #upstream: HttpUpstream;
  readonly #pools: UpstreamPools;
  readonly #headers: Record<string, string>;
  readonly #abort: AbortController;
  readonly #stream: Readable;
  #closed = false;

  private constructor(
    upstream: HttpUpstream,
    pools: UpstreamPools,
    headers: Record<string, string>,
    endpoint: URL,
    abort: AbortController,
    stream: Readable,
  ) {
    this.#upstream = upstream;
    this.#stream = stream;
    this.#pools = pools;
    this.#headers = headers;
    this.endpoint = endpoint;
    this.#abort = abort;
  }

  /**
   * Opens the stream and waits for its `endpoint` event. `headers` are what the client's request and the
   * server's configuration add (credentials); throws a GatewayError that tells the client what went wrong.
   */
  static async open(
    upstream: HttpUpstream,
    pools: UpstreamPools,
    headers: Record<string, string>,
    events: LegacySseEvents,
  ): Promise<LegacySseUpstream> {
    const abort = new AbortController();
    let answer: Dispatcher.ResponseData;
    try {
      answer = await pools.get(upstream).request({
        path: `${upstream.url.pathname}${upstream.url.search}`,
        method: 'GET',
        headers: { ...headers, accept: 'text/event-stream' },
        headersTimeout: upstream.responseTimeoutMs,
        bodyTimeout: 0,
        signal: abort.signal,
      });
    } catch (error) {
      throw upstreamFailure(error, upstream);
    }
    const type = mediaType(headerText(answer.headers['content-type']));
    if (answer.statusCode !== 200 || type !== 'text/event-stream') {
      const text = await readCapped(answer.body);
      throw refusedStream(upstream, answer.statusCode, type, text);
    }
    const endpoint = await waitForEndpoint(upstream, answer.body, events, abort);
    return new LegacySseUpstream(upstream, pools, headers, endpoint, abort, answer.body);
  }

  /** POSTs one message (or batch) as the client wrote it; resolves with the server's answer (202 normally). */
  async post(body: string): Promise<PostAnswer> {
    const headers = { ...this.#headers, 'content-type': 'application/json', accept: 'application/json' };
    try {
      const answer = await this.#pools.get(this.#upstream).request({
        path: `${this.endpoint.pathname}${this.endpoint.search}`,
        method: 'POST',
        headers,
        body,
        headersTimeout: this.#upstream.responseTimeoutMs,
      });
      return {
        status: answer.statusCode,
        contentType: headerText(answer.headers['content-type']),
        text: await readCapped(answer.body),
      };
    } catch (error) {
      throw upstreamFailure(error, this.#upstream);
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Stops reading the server's stream (a held message): TCP backpressure reaches the server. */
  pause(): void {
    this.#stream.pause();
  }

  resume(): void {
    this.#stream.resume();
  }

  /** Ends the stream; the 2024-11-05 transport has no other way to end a session. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort(new Error('session ended'));
  }
}

function waitForEndpoint(
  upstream: HttpUpstream,
  body: Readable,
  events: LegacySseEvents,
  abort: AbortController,
): Promise<URL> {
  return new Promise<URL>((resolve, reject) => {
    let endpoint: URL | null = null;
    const fail = (error: GatewayError) => {
      clearTimeout(timer);
      abort.abort(error);
      body.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          new GatewayError(
            504,
            `Server "${upstream.name}" at ${upstream.url.href} opened its SSE stream but sent no "endpoint" event within ${ENDPOINT_TIMEOUT_MS / 1000} s. Is it a legacy HTTP+SSE (2024-11-05) server? If it speaks Streamable HTTP, register it with "type": "http".`,
          ),
        ),
      ENDPOINT_TIMEOUT_MS,
    );
    const parser = createParser({
      onEvent(event) {
        if (endpoint) {
          events.onEvent(event);
          return;
        }
        if (event.event !== 'endpoint') return;
        let named: URL;
        try {
          named = new URL(event.data.trim(), upstream.url);
        } catch {
          fail(
            new GatewayError(
              502,
              `Server "${upstream.name}" sent an "endpoint" event that is no URL (${JSON.stringify(event.data.slice(0, 200))}).`,
            ),
          );
          return;
        }
        // The configured headers (credentials) go only where the owner pointed the gateway, as the SDK's own
        // SSE client insists too: an endpoint on another origin is refused.
        if (named.origin !== upstream.url.origin) {
          fail(
            new GatewayError(
              502,
              `Server "${upstream.name}" named an endpoint on another origin (${named.origin}); the gateway only POSTs to ${upstream.url.origin}. Register the server by the URL of that origin's SSE stream.`,
            ),
          );
          return;
        }
        endpoint = named;
        clearTimeout(timer);
        resolve(endpoint);
      },
    });
    const decoder = new TextDecoder();
    body.on('data', (chunk: Buffer) => parser.feed(decoder.decode(chunk, { stream: true })));
    const ended = (error: string | null) => {
      if (!endpoint) {
        fail(
          new GatewayError(
            502,
            `Server "${upstream.name}" at ${upstream.url.href} closed its SSE stream before sending the "endpoint" event${error ? ` (${error})` : ''}.`,
          ),
        );
        return;
      }
      events.onClose(abort.signal.aborted ? null : error);
    };
    body.once('end', () => ended(null));
    body.once('error', (error: Error) => ended(error.message));
  });
}

function refusedStream(upstream: HttpUpstream, status: number, type: string, text: string): GatewayError {
  const where = `Server "${upstream.name}" at ${upstream.url.href}`;
  if (status === 401 || status === 403) {
    return new GatewayError(
      status,
      `${where} wants credentials (HTTP ${status}) for its SSE stream: add them to the server's "headers" in mcp.json.`,
    );
  }
  if (type === 'application/json' && /jsonrpc/.test(text)) {
    return new GatewayError(
      502,
      `${where} answered GET with JSON-RPC, not an SSE stream: it speaks Streamable HTTP, so register it with "type": "http".`,
    );
  }
  const detail = text ? `: ${text.slice(0, 300)}` : '';
  return new GatewayError(
    502,
    `${where} did not open an SSE stream (HTTP ${status}, ${type || 'no body'}${detail}). Check the URL: a legacy HTTP+SSE server's stream is usually at /sse.`,
  );
}

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

async function readCapped(body: Readable): Promise<string> {
  let text = '';
  try {
    for await (const chunk of body) {
      if (text.length < MAX_ERROR_TEXT) text += (chunk as Buffer).toString('utf8');
    }
  } catch {
    // What arrived is all there is to tell.
  }
  return text.slice(0, MAX_ERROR_TEXT);
}
