import type { ServerResponse } from 'node:http';
import type { ClientCapabilities, JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { StdioHttpDetail, UpstreamLeg } from '../core/capture-events.js';
import { classifyMessage } from '../core/jsonrpc.js';
import type { RecordOrigin } from '../core/record.js';
import { acceptedStatus, clientHttp } from './client-http.js';
import { notification } from './messages.js';
import type { ClientSession } from './session-peer.js';
import { stageDelivery } from './staged-delivery.js';
import type { StdioCapture } from './stdio-capture.js';

export interface ModernConversationOptions {
  id: string;
  /** "client-name 1.0": how notes name the client. */
  client: string;
  /** The client's name alone, as `client:` in the filter language matches it. */
  clientName?: string;
  capabilities: ClientCapabilities;
  capture: StdioCapture;
  /** A message from the client, to go to the server (the backend routes it). */
  onMessage(conversation: ModernConversation, message: JSONRPCMessage, text: string): void;
  onClosed(conversation: ModernConversation): void;
}

/** One POST's response stream and the requests it still answers. */
interface Post {
  res: ServerResponse;
  open: Map<string, { id: RequestId; method: string }>;
  /** The client's HTTP request, for the records of the messages it carries either way. */
  http: StdioHttpDetail | null;
}

/**
 * The requests of one MCP 2026-07-28 client, which has no session on the wire (Transports, Streamable
 * HTTP 2026-07-28: no Mcp-Session-Id; every request carries its version, capabilities and clientInfo in
 * `_meta`). Each POST is answered on its own SSE stream, which carries what belongs to its requests
 * (progress, a subscription's notifications) and ends with their answers. Requests of one client are
 * one conversation: one timeline in the capture, and, in isolated mode, one process.
 */
export class ModernConversation implements ClientSession {
  readonly id: string;
  readonly era = 'modern' as const;
  readonly client: string;
  clientCapabilities: ClientCapabilities | null;
  lastActive = Date.now();
  endReason: string | null = null;
  readonly #options: ModernConversationOptions;
  /** The POST stream each request in flight is answered on, by its JSON-RPC id. */
  readonly #streams = new Map<string, Post>();
  #closed = false;

  constructor(options: ModernConversationOptions) {
    this.id = options.id;
    this.client = options.client;
    this.clientCapabilities = options.capabilities;
    this.#options = options;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a request with this id is still in flight (JSON-RPC ids are unique among them). */
  has(id: RequestId): boolean {
    return this.#streams.has(key(id));
  }

  /**
   * A POST: its messages go to the server; requests are answered on one SSE stream, a body with none
   * gets 202 (Streamable HTTP, "Sending Messages to the Server").
   */
  accept(
    res: ServerResponse,
    messages: readonly { message: JSONRPCMessage; text: string }[],
    /** When the gateway had the POST (core/clock.ts). */
    arrived?: number,
    /** Set when the message stage changed the POST's message (a breakpoint's edit). */
    origin?: RecordOrigin,
  ): void {
    this.lastActive = Date.now();
    const post: Post = { res, open: new Map(), http: null };
    for (const { message } of messages) {
      const shape = classifyMessage(message);
      if (shape.kind !== 'request') continue;
      const id = (message as { id: RequestId }).id;
      post.open.set(key(id), { id, method: shape.method ?? '' });
      this.#streams.set(key(id), post);
    }
    // ServerResponse.req: the request being answered (absent only on a hand-made response).
    post.http = res.req ? clientHttp(res.req, acceptedStatus(post.open.size > 0)) : null;
    const http = post.http ? { http: post.http } : {};
    if (post.open.size === 0) {
      res.writeHead(202).end();
    } else {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
      });
      res.flushHeaders();
      res.once('close', () => this.#streamClosed(post));
    }
    for (const { message, text } of messages) {
      this.#options.capture.line(this.id, 'stdin', text, { ...http, arrived, origin });
      this.#options.onMessage(this, message, text);
    }
  }

  deliver(
    message: JSONRPCMessage,
    text: string,
    related: RequestId | undefined,
    note?: string,
    leg?: UpstreamLeg,
  ): void {
    const staged =
      this.#options.capture.stage?.armed &&
      stageDelivery(
        {
          capture: this.#options.capture,
          sessionId: this.id,
          clientName: this.#options.clientName ?? null,
          answers:
            related === undefined
              ? null
              : (this.#streams.get(key(related))?.open.get(key(related))?.method ?? null),
          send: (m, t, origin) => this.#deliverNow(m, t, related, note, leg, origin),
          answerServer: (m, t) => {
            this.#options.capture.line(this.id, 'stdin', t, {
              origin: 'injected',
              note: "answered by the gateway in the client's place",
            });
            this.#options.onMessage(this, m, t);
          },
        },
        message,
        text,
      );
    if (!staged) this.#deliverNow(message, text, related, note, leg);
  }

  #deliverNow(
    message: JSONRPCMessage,
    text: string,
    related: RequestId | undefined,
    note?: string,
    leg?: UpstreamLeg,
    origin?: RecordOrigin,
  ): void {
    const post = related === undefined ? undefined : this.#streams.get(key(related));
    if (!post || post.res.writableEnded || post.res.destroyed) {
      // MCP 2026-07-28 has no GET stream: what belongs to no open request has nowhere to go.
      this.#options.capture.line(this.id, 'stdout', text, {
        note: `not delivered: no stream of ${this.client} is open for it${note ? ` (${note})` : ''}`,
      });
      return;
    }
    const http = post.http ? { http: post.http } : {};
    this.#options.capture.line(this.id, 'stdout', text, { note, ...http, leg, origin });
    post.res.write(`event: message\ndata: ${text}\n\n`);
    const answered = ('result' in message || 'error' in message) && related !== undefined;
    if (!answered || (message as { id?: unknown }).id !== related) return;
    this.#streams.delete(key(related));
    post.open.delete(key(related));
    if (post.open.size === 0) post.res.end();
  }

  /**
   * The client closed a stream before all its answers came. Closing the stream of `subscriptions/listen`
   * is how a 2026 client ends its subscription (Basic, "Subscriptions"): a normal end, not a failure.
   * Either way the server is told it need not answer (MCP utilities, cancellation).
   */
  #streamClosed(post: Post): void {
    for (const [k, request] of post.open) {
      if (this.#streams.get(k) === post) this.#streams.delete(k);
      const listen = request.method === 'subscriptions/listen';
      this.#options.capture.note(
        this.id,
        listen
          ? `${this.client} ended its subscription (request ${String(request.id)}) by closing its stream`
          : `${this.client} closed the stream of ${request.method} (request ${String(request.id)}) before its answer; the server was told to cancel it`,
      );
      if (this.#closed) continue;
      const cancel = notification('notifications/cancelled', {
        requestId: request.id,
        reason: listen ? 'the client ended its subscription' : 'the client closed its stream',
      });
      this.#options.onMessage(this, cancel, JSON.stringify(cancel));
    }
    post.open.clear();
  }

  /** Ends the conversation: its open streams end, and the backend lets go of it. */
  close(reason?: string): void {
    if (this.#closed) return;
    if (reason !== undefined && this.endReason === null) this.endReason = reason;
    this.#closed = true;
    for (const post of new Set(this.#streams.values())) post.res.end();
    this.#streams.clear();
    this.#options.onClosed(this);
  }
}

function key(id: RequestId): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`;
}
