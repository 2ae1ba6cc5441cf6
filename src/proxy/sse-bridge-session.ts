import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { EventSourceMessage } from 'eventsource-parser';
import { GatewayError, RpcErrorCode } from '../core/errors.js';
import { classifyMessage } from '../core/jsonrpc.js';
import type { LegacySseUpstream, PostAnswer } from './legacy-sse-upstream.js';
import type { StagedStream } from './staged-stream.js';

/** The header that ties the messages the transport hands over to the POST body they came in. */
export const POST_TAG_HEADER = 'x-mcp-gateway-post';

/** Server messages kept for a client that has not opened its GET stream yet. */
const MAX_HELD = 1000;

let nextPost = 1;

/**
 * One client's Streamable HTTP session (MCP 2025-11-25, "Transports") in front of its own HTTP+SSE
 * connection to a 2024-11-05 server. The SDK's server transport answers the client (session id, SSE
 * streams, DELETE); the client's messages are POSTed to the upstream's endpoint, one at a time and in
 * order; what arrives on the upstream's stream goes to the right client stream:
 *   - an answer, to the stream of the request it answers (by JSON-RPC id, within this session only);
 *   - a progress notification, to the stream of the request whose progressToken it carries;
 *   - anything else (the server's requests, logging, list changes) on the client's GET stream, or, while
 *     it has none, on the stream of its latest open request (2025-11-25 allows both); else held until it opens.
 */
export class SseBridgeSession {
  readonly id = randomUUID();
  readonly transport: WebStandardStreamableHTTPServerTransport;
  lastActive = Date.now();
  /** The server's messages at the message stage (breakpoints, faults), when the gateway has one. */
  staged: StagedStream | null = null;
  #upstream: LegacySseUpstream | null = null;
  readonly #posts = new Map<string, { texts: string[]; next: number }>();
  /** Client requests waiting for their answer, oldest first. */
  readonly #pending = new Set<RequestId>();
  readonly #progress = new Map<string | number, RequestId>();
  #queue: Promise<void> = Promise.resolve();
  #standalone = 0;
  #held: JSONRPCMessage[] = [];
  #closed = false;
  #ended = false;
  readonly #onClosed: (session: SseBridgeSession) => void;

  constructor(onClosed: (session: SseBridgeSession) => void) {
    this.#onClosed = onClosed;
    this.transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => this.id });
    this.transport.onmessage = (message, extra) => this.#fromClient(message, extra);
    this.transport.onclose = () => this.#end();
    // Refusals (bad headers, wrong session) are answered by the transport and recorded by the endpoint.
    this.transport.onerror = () => {};
    void this.transport.start();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** A request waits for its answer, or the client holds its GET stream open: the session is in use. */
  get busy(): boolean {
    return this.#pending.size > 0 || this.#standalone > 0;
  }

  attach(upstream: LegacySseUpstream): void {
    this.#upstream = upstream;
  }

  /** Before a POST goes to the transport: its messages as the client wrote them. Returns the tag header. */
  expectPost(texts: string[]): Record<string, string> {
    const tag = String(nextPost++);
    this.#posts.set(tag, { texts, next: 0 });
    return { [POST_TAG_HEADER]: tag };
  }

  forgetPost(tag: Record<string, string>): void {
    const value = tag[POST_TAG_HEADER];
    if (value) this.#posts.delete(value);
  }

  standaloneOpened(): void {
    this.#standalone++;
    const held = this.#held;
    this.#held = [];
    for (const message of held) this.#unrelated(message);
  }

  standaloneClosed(): void {
    this.#standalone = Math.max(0, this.#standalone - 1);
  }

  #fromClient(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void {
    const tag = extra?.requestInfo?.headers[POST_TAG_HEADER];
    const post = typeof tag === 'string' ? this.#posts.get(tag) : undefined;
    const text = post?.texts[post.next++] ?? JSON.stringify(message);
    this.lastActive = Date.now();
    const shape = classifyMessage(message);
    const id = shape.kind === 'request' ? requestId(shape.id) : undefined;
    this.staged?.requested(message);
    if (id !== undefined) {
      this.#pending.add(id);
      const token = (message as { params?: { _meta?: { progressToken?: unknown } } }).params?._meta
        ?.progressToken;
      if (typeof token === 'string' || typeof token === 'number') this.#progress.set(token, id);
    }
    // The legacy transport has no ordering guarantee between POSTs: sending one at a time keeps the client's.
    this.#queue = this.#queue.then(() => this.#post(message, id, text));
  }

  async #post(message: JSONRPCMessage, id: RequestId | undefined, text: string): Promise<void> {
    const upstream = this.#upstream;
    if (!upstream || upstream.closed) return;
    let answer: PostAnswer;
    try {
      answer = await upstream.post(text);
    } catch (error) {
      const failure = error instanceof GatewayError ? error : new GatewayError(502, String(error));
      if (id !== undefined) this.#answerWithError(id, failure.rpcCode, failure.message);
      return;
    }
    if (answer.status < 300 || id === undefined || !('method' in message)) return;
    // The server refused the POST: its JSON-RPC error, if it wrote one for this request, is the answer.
    const refusal = parseError(answer.text, id);
    if (refusal) this.#deliver(refusal);
    else
      this.#answerWithError(
        id,
        RpcErrorCode.GatewayFailure,
        `The server refused the message (HTTP ${answer.status}${answer.text ? `: ${answer.text.slice(0, 300)}` : ''}).`,
      );
  }

  /** One event from the upstream's stream. */
  fromServer(event: EventSourceMessage): void {
    if (this.#closed) return;
    if (!this.staged?.offer(event.data, () => this.deliverText(event.data))) this.deliverText(event.data);
  }

  /** A message for the client, as the server wrote it or as the message stage made it. */
  deliverText(text: string): void {
    if (this.#closed) return;
    let message: JSONRPCMessage;
    try {
      message = JSON.parse(text) as JSONRPCMessage;
    } catch {
      return;
    }
    this.#deliver(message);
  }

  #deliver(message: JSONRPCMessage): void {
    const shape = classifyMessage(message);
    const answered = shape.kind === 'response' || shape.kind === 'error' ? requestId(shape.id) : undefined;
    if (answered !== undefined) {
      if (!this.#pending.delete(answered)) return;
      for (const [token, id] of this.#progress) if (id === answered) this.#progress.delete(token);
      this.transport.send(message).catch(() => {});
      return;
    }
    if (shape.kind === 'notification') {
      const token = (message as { params?: { progressToken?: unknown } }).params?.progressToken;
      const related =
        typeof token === 'string' || typeof token === 'number' ? this.#progress.get(token) : undefined;
      if (related !== undefined) {
        this.transport.send(message, { relatedRequestId: related }).catch(() => {});
        return;
      }
    }
    this.#unrelated(message);
  }

  #unrelated(message: JSONRPCMessage): void {
    if (this.#standalone > 0) {
      this.transport.send(message).catch(() => {});
      return;
    }
    const latest = [...this.#pending].at(-1);
    if (latest !== undefined) {
      this.transport.send(message, { relatedRequestId: latest }).catch(() => {});
      return;
    }
    if (this.#held.length >= MAX_HELD) this.#held.shift();
    this.#held.push(message);
  }

  #answerWithError(id: RequestId, code: number, text: string): void {
    if (!this.#pending.has(id)) return;
    this.#deliver({ jsonrpc: '2.0', id, error: { code, message: text } });
  }

  /** The upstream's stream ended: requests still waiting are answered, then the session ends. */
  upstreamClosed(error: string | null): void {
    const why = error
      ? `the server's SSE stream broke (${error})`
      : 'the server closed its SSE stream (it ended the session, or restarted)';
    for (const id of [...this.#pending]) {
      this.#answerWithError(id, RpcErrorCode.ConnectionClosed, `No answer: ${why}. Start a new session.`);
    }
    this.close();
  }

  /** Ends the session: its client streams close, its upstream stream too; the client gets 404 from now on. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#upstream?.close();
    void this.transport.close();
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#closed = true;
    this.#upstream?.close();
    this.staged?.end();
    this.#held = [];
    this.#pending.clear();
    this.#progress.clear();
    this.#onClosed(this);
  }
}

function requestId(id: unknown): RequestId | undefined {
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

function parseError(text: string, id: RequestId): JSONRPCMessage | null {
  try {
    const value = JSON.parse(text) as unknown;
    const shape = classifyMessage(value);
    return shape.kind === 'error' && shape.id === id ? (value as JSONRPCMessage) : null;
  } catch {
    return null;
  }
}
