import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type {
  ClientCapabilities,
  JSONRPCMessage,
  MessageExtraInfo,
  RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { StdioHttpDetail, UpstreamLeg } from '../core/capture-events.js';
import type { RecordOrigin } from '../core/record.js';
import { ClientRequests } from './client-requests.js';
import { type EventBudget, SessionEventStore } from './event-store.js';
import type { ClientSession } from './session-peer.js';
import { stageDelivery } from './staged-delivery.js';
import type { StdioCapture } from './stdio-capture.js';

/** The header that ties the messages the transport hands over to the POST body they came in. */
export const POST_TAG_HEADER = 'x-mcp-gateway-post';

/** Messages kept for a client that has not opened its GET stream yet. */
const MAX_HELD = 1000;

export interface HttpSessionOptions {
  id: string;
  capture: StdioCapture;
  /** Shared by the sessions of one server: the memory their resumption stores may use together. */
  eventBudget: EventBudget;
  /** A message from the client, accepted by the transport. */
  onMessage(session: HttpSession, message: JSONRPCMessage, text: string): void;
  /** The session ended (DELETE, idle, process exit, shutdown). */
  onClosed(session: HttpSession): void;
}

interface Outgoing {
  message: JSONRPCMessage;
  text: string;
  note: string | undefined;
  leg?: UpstreamLeg | undefined;
  origin?: RecordOrigin | undefined;
}

let nextPost = 1;

/**
 * One MCP session on the HTTP side of a stdio server: the SDK's Streamable HTTP server transport (session
 * id, SSE streams, resumption, DELETE) plus what the gateway records of it. Everything the session's
 * client sends and receives is captured here, with the client's own ids.
 */
export class HttpSession implements ClientSession {
  readonly id: string;
  readonly era = 'legacy' as const;
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly events: SessionEventStore;
  clientCapabilities: ClientCapabilities | null = null;
  lastActive = Date.now();
  /** Why the gateway ended the session, when it did so on its own (told to its client on its next request). */
  endReason: string | null = null;
  readonly #options: HttpSessionOptions;
  readonly #posts = new Map<
    string,
    {
      texts: string[];
      next: number;
      http: StdioHttpDetail;
      arrived: number | undefined;
      origin: RecordOrigin | undefined;
    }
  >();
  /** The user agent of the session's client, for the records of what the session is sent. */
  #userAgent: string | null = null;
  /** What the message stage knows of the client's requests: their methods, the client's name. */
  readonly #requests = new ClientRequests();
  #standaloneStreams = 0;
  #held: Outgoing[] = [];
  /** Sends not yet written to their stream: a closing session lets them finish first. */
  readonly #sending = new Set<Promise<void>>();
  #closing = false;
  #closed = false;

  constructor(options: HttpSessionOptions) {
    this.id = options.id;
    this.#options = options;
    this.events = new SessionEventStore(options.eventBudget);
    this.transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => this.id,
      eventStore: this.events,
    });
    this.transport.onmessage = (message, extra) => this.#received(message, extra);
    this.transport.onclose = () => this.#ended();
    // Refusals (bad headers, unknown session) are answered by the transport and recorded by the endpoint.
    this.transport.onerror = () => {};
    void this.transport.start();
  }

  /** True from the moment the session starts closing: it takes no more requests. */
  get closed(): boolean {
    return this.#closing || this.#closed;
  }

  /**
   * Before a POST goes to the transport: its messages as the client wrote them, and its HTTP request as
   * their records show it (`arrived`: when the gateway had it). Returns the tag header.
   */
  expectPost(
    texts: string[],
    http: StdioHttpDetail,
    arrived?: number,
    origin?: RecordOrigin,
  ): Record<string, string> {
    const tag = String(nextPost++);
    this.#posts.set(tag, { texts, next: 0, http, arrived, origin });
    this.#userAgent = http.userAgent;
    return { [POST_TAG_HEADER]: tag };
  }

  /** After the transport has handled the POST (it hands over every message before it resolves). */
  forgetPost(tag: Record<string, string>): void {
    const value = tag[POST_TAG_HEADER];
    if (value) this.#posts.delete(value);
  }

  #received(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void {
    const tag = extra?.requestInfo?.headers[POST_TAG_HEADER];
    const post = typeof tag === 'string' ? this.#posts.get(tag) : undefined;
    const text = post?.texts[post.next++] ?? JSON.stringify(message);
    this.lastActive = Date.now();
    this.#requests.sent(message, this.#options.capture.stage?.armed === true);
    this.#options.capture.line(
      this.id,
      'stdin',
      text,
      post ? { http: post.http, arrived: post.arrived, origin: post.origin } : {},
    );
    this.#options.onMessage(this, message, text);
  }

  deliver(
    message: JSONRPCMessage,
    text: string,
    related: RequestId | undefined,
    note?: string,
    leg?: UpstreamLeg,
  ): void {
    if (this.#closed) return;
    const staged =
      this.#options.capture.stage?.armed &&
      stageDelivery(
        {
          capture: this.#options.capture,
          sessionId: this.id,
          clientName: this.#requests.clientName,
          answers: this.#requests.answered(message),
          send: (m, t, origin) => this.#deliverNow(m, t, related, note, leg, origin),
          answerServer: (m, t) => this.#answerServer(m, t),
          cut: () =>
            related === undefined
              ? this.transport.closeStandaloneSSEStream()
              : this.transport.closeSSEStream(related),
        },
        message,
        text,
      );
    if (!staged) this.#deliverNow(message, text, related, note, leg);
  }

  /** A held request of the server, answered by the gateway in the client's place. */
  #answerServer(message: JSONRPCMessage, text: string): void {
    if (this.#closed) return;
    this.#options.capture.line(this.id, 'stdin', text, {
      origin: 'injected',
      note: "answered by the gateway in the client's place",
    });
    this.#options.onMessage(this, message, text);
  }

  #deliverNow(
    message: JSONRPCMessage,
    text: string,
    related: RequestId | undefined,
    note?: string,
    leg?: UpstreamLeg,
    origin?: RecordOrigin,
  ): void {
    if (this.#closed) return;
    if (related === undefined) {
      this.#sendStandalone({ message, text, note, origin });
      return;
    }
    this.#record({ message, text, note, leg, origin }, 'POST');
    this.#send(
      this.transport.send(message, { relatedRequestId: related }).catch(() => {
        // The request's stream is gone (its client disconnected, without a way to resume). What is not the
        // answer itself can still reach the client on its GET stream.
        if (!('result' in message) && !('error' in message)) return this.transport.send(message);
      }),
    );
  }

  #send(sent: Promise<void>): void {
    const settled = sent.catch(() => {});
    this.#sending.add(settled);
    void settled.then(() => this.#sending.delete(settled));
  }

  /**
   * Recorded as the session saw it, at the moment it is handed to the transport: on the SSE stream of the
   * request it belongs to (a POST answered 200), else on the session's GET stream.
   */
  #record({ message, text, note, leg, origin }: Outgoing, on: 'POST' | 'GET'): void {
    const http = { method: on, status: 200, userAgent: this.#userAgent };
    this.#options.capture.line(this.id, 'stdout', text, { note, http, leg, origin });
    this.events.sizeHint(message, text.length);
  }

  /**
   * MCP Streamable HTTP, "Listening for Messages from the Server": unrelated messages go on the GET stream.
   * Until the client opens it they are held here, so that nothing sent right after initialize is lost.
   */
  #sendStandalone(outgoing: Outgoing): void {
    if (this.#standaloneStreams === 0) {
      if (this.#held.length >= MAX_HELD) this.#held.shift();
      this.#held.push(outgoing);
      return;
    }
    this.#record(outgoing, 'GET');
    this.#send(this.transport.send(outgoing.message));
  }

  /** The client opened (or resumed) its GET stream. */
  standaloneOpened(): void {
    this.#standaloneStreams++;
    const held = this.#held;
    this.#held = [];
    for (const outgoing of held) this.#sendStandalone(outgoing);
  }

  standaloneClosed(): void {
    this.#standaloneStreams = Math.max(0, this.#standaloneStreams - 1);
  }

  /**
   * Ends the session once what was already sent has reached its streams (a crash's error answers must get
   * out first): its streams close, and its client gets 404 from now on and must initialize again.
   */
  close(reason?: string): void {
    if (reason !== undefined && this.endReason === null) this.endReason = reason;
    this.#closing = true;
    void Promise.all(this.#sending).then(() => this.transport.close());
  }

  #ended(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#held = [];
    this.events.clear();
    this.#options.onClosed(this);
  }
}
