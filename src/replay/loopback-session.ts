import { EventSourceParserStream } from 'eventsource-parser/stream';
import { mediaType } from '../core/headers.js';
import { classifyMessage } from '../core/jsonrpc.js';

/** What one POST to the gateway's own endpoint came back with. */
export interface LoopbackAnswer {
  status: number;
  headers: Headers;
  /** The JSON-RPC answers of a JSON body or SSE stream, in order (up to and including the awaited one). */
  messages: unknown[];
  /** The body as text when it held no JSON-RPC (an error page, a plain-text refusal). */
  text: string;
}

export interface LoopbackOptions {
  /** The gateway's own `/s/<name>/mcp`: the replay passes the proxy like any client's traffic. */
  url: string;
  fetch: typeof fetch;
  /** Sent on every request: the replay's User-Agent and, under --proxy-auth, the gateway token. */
  headers: Record<string, string>;
  signal: AbortSignal;
}

/** The most a replayed answer may hold; past it the stream is cut (the capture still has it). */
const MAX_ANSWER_CHARS = 16 * 1024 * 1024;

/**
 * A minimal MCP client session over Streamable HTTP (MCP 2025-11-25, "Transports"), made for one replay:
 * POST a message, read the answer as JSON or SSE, carry the session id the server minted, end with DELETE.
 * It speaks only HTTP to the gateway's own address, so HTTP and stdio servers are replayed alike.
 */
export class LoopbackSession {
  readonly #options: LoopbackOptions;
  sessionId: string | null = null;
  protocolVersion: string | null = null;

  constructor(options: LoopbackOptions) {
    this.#options = options;
  }

  /** POSTs `message`; for a request, reads until its answer (server requests on the way get refused). */
  async post(message: unknown, extra: Record<string, string> = {}): Promise<LoopbackAnswer> {
    const response = await this.#options.fetch(this.#options.url, {
      method: 'POST',
      headers: {
        ...this.#headers(),
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
        ...extra,
      },
      body: JSON.stringify(message),
      signal: this.#options.signal,
    });
    const minted = response.headers.get('mcp-session-id');
    if (minted && this.sessionId === null) this.sessionId = minted;
    const awaited = classifyMessage(message);
    const type = mediaType(response.headers.get('content-type') ?? undefined);
    if (type === 'text/event-stream' && response.body) {
      const messages = await this.#readStream(
        response.body,
        awaited.kind === 'request' ? awaited.id : undefined,
      );
      return { status: response.status, headers: response.headers, messages, text: '' };
    }
    const text = await readCapped(response.body, MAX_ANSWER_CHARS);
    if (type === 'application/json') {
      try {
        const value: unknown = JSON.parse(text);
        return {
          status: response.status,
          headers: response.headers,
          messages: Array.isArray(value) ? value : [value],
          text: '',
        };
      } catch {
        // Not JSON after all: kept as text below.
      }
    }
    return { status: response.status, headers: response.headers, messages: [], text };
  }

  /** Ends the session (Streamable HTTP, "Session Management"); a server that refuses is told nothing more. */
  async close(): Promise<void> {
    if (this.sessionId === null) return;
    try {
      const response = await this.#options.fetch(this.#options.url, {
        method: 'DELETE',
        headers: this.#headers(),
        signal: AbortSignal.timeout(5_000),
      });
      await response.body?.cancel();
    } catch {
      // The session times out on the server's side instead.
    }
  }

  #headers(): Record<string, string> {
    return {
      ...this.#options.headers,
      ...(this.sessionId === null ? {} : { 'mcp-session-id': this.sessionId }),
      ...(this.protocolVersion === null ? {} : { 'mcp-protocol-version': this.protocolVersion }),
    };
  }

  async #readStream(body: ReadableStream<Uint8Array>, awaited: unknown): Promise<unknown[]> {
    const messages: unknown[] = [];
    // One event past the cap ends the read: the answer is in the capture, as big as it was.
    const events = body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream({ maxBufferSize: MAX_ANSWER_CHARS, onError: 'terminate' }));
    const reader = events.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!value.data) continue;
        let message: unknown;
        try {
          message = JSON.parse(value.data);
        } catch {
          continue;
        }
        const shape = classifyMessage(message);
        // Only answers are kept: notifications (progress, logs) on the way are in the capture.
        if (shape.kind === 'response' || shape.kind === 'error') messages.push(message);
        if (shape.kind === 'request') await this.#refuse(message as { id: unknown; method: string });
        if (
          (shape.kind === 'response' || shape.kind === 'error') &&
          awaited !== undefined &&
          shape.id === awaited
        ) {
          break;
        }
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
    return messages;
  }

  /**
   * A server request during the replay (elicitation, sampling, roots): nobody sits behind the replay to
   * answer it, so it gets an error at once rather than hanging the call; a ping is answered as the spec asks.
   */
  async #refuse(request: { id: unknown; method: string }): Promise<void> {
    const answer =
      request.method === 'ping'
        ? { jsonrpc: '2.0', id: request.id, result: {} }
        : {
            jsonrpc: '2.0',
            id: request.id,
            error: {
              code: -32601,
              message: `The gateway's replay cannot answer ${request.method}: nobody is behind it. Replay from a client that can, or answer it with a breakpoint.`,
            },
          };
    try {
      const response = await this.#options.fetch(this.#options.url, {
        method: 'POST',
        headers: {
          ...this.#headers(),
          accept: 'application/json, text/event-stream',
          'content-type': 'application/json',
        },
        body: JSON.stringify(answer),
        signal: this.#options.signal,
      });
      await response.body?.cancel();
    } catch {
      // The call's own answer (or its timeout) says what happened.
    }
  }
}

/** A body as text, at most `max` characters of it (the rest is not read). */
async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<string> {
  if (!body) return '';
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  try {
    while (text.length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, max);
}
