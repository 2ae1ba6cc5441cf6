import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '../core/errors.js';
import { ReadyGate } from '../stdio/ready-gate.js';
import { requestHeaders, type ToolHeader, toolHeaders } from './mcp-request-headers.js';

/** How long a replayed initialize may take before the relay gives up and reports the lost session. */
const RENEW_TIMEOUT_MS = 30_000;

let renewals = 0;

/**
 * The spec's answer to an unknown session is 404; servers built on the SDK's own examples (server-everything
 * among them) answer 400 "No valid session ID provided" instead, and mean the same.
 */
function unknownSession(error: StreamableHTTPError): boolean {
  return error.code === 404 || (error.code === 400 && /session/i.test(error.message));
}

/** The replayed initialize, whose answer the relay keeps to itself. */
interface PendingInitialize {
  id: string;
  gate: ReadyGate;
}

/**
 * The HTTP side of `connect`: one Streamable HTTP session with the gateway, renewed when the server loses it.
 *
 * MCP Streamable HTTP, "Session Management": a server that no longer knows a session id answers 404, and
 * the client must start a new session with a new InitializeRequest. Behind `connect` the real client speaks
 * stdio and never sees session ids, so it cannot do that itself; the relay replays the client's own
 * initialize (and its `notifications/initialized`), keeps that answer to itself, subscribes again to the
 * resources the client had subscribed to and sets its logging level again, then sends the message again.
 * That is what keeps a desktop client working when the server it reaches (or the gateway) restarts.
 */
export class HttpRelay {
  readonly #url: URL;
  readonly #log: (message: string) => void;
  #transport: StreamableHTTPClientTransport;
  #protocolVersion: string | null = null;
  #initialize: JSONRPCRequest | null = null;
  #initialized = false;
  #renewing: Promise<void> | null = null;
  #pending: PendingInitialize | null = null;
  /** Session state the client set up, made again in a renewed session: subscribed URIs, logging level. */
  readonly #subscribed = new Set<string>();
  #logLevel: string | null = null;
  /** Ids of requests the relay sent on its own (replayed set-up): their answers are not the client's. */
  readonly #ownIds = new Set<string>();
  /** Ids of the client's tools/list requests still unanswered: their answers say which headers tools want. */
  readonly #listing = new Set<string>();
  /** Per tool, the parameters its schema asks to be mirrored into `Mcp-Param-*` headers (MCP 2026-07-28). */
  readonly #toolHeaders = new Map<string, ToolHeader[]>();
  /** The last notification or response sent: what the client sends next waits until it is accepted. */
  #accepted: Promise<void> = Promise.resolve();
  /** Messages from the server, for the stdio client. */
  onmessage: (message: JSONRPCMessage) => void = () => {};

  /** Sent with every request: the gateway token under --proxy-auth. */
  readonly #headers: Record<string, string>;

  constructor(url: URL, log: (message: string) => void, headers: Record<string, string> = {}) {
    this.#url = url;
    this.#log = log;
    this.#headers = headers;
    this.#transport = this.#open();
  }

  start(): Promise<void> {
    return this.#transport.start();
  }

  /**
   * Relays a message from the stdio client in the order the client sent it. Over stdio, messages arrive in
   * order; over Streamable HTTP each is its own POST, and POSTs in flight together reach the server in any
   * order. A notification or a response is accepted at once (202, MCP Streamable HTTP "Sending Messages to
   * the Server"), so whatever follows waits for that: the server sees `notifications/initialized` before the
   * first request (basic/lifecycle), and the GET stream the transport opens right after it is asked for
   * before a request whose handler sends on it (an elicitation, a sampling request). A request's answer
   * may take as long as the operation, so a request holds nothing back.
   */
  send(message: JSONRPCMessage): Promise<void> {
    const sending = this.#accepted.then(() => this.#send(message));
    if (!('method' in message && 'id' in message)) this.#accepted = sending.catch(() => {});
    return sending;
  }

  async #send(message: JSONRPCMessage): Promise<void> {
    if ('method' in message) {
      if (message.method === 'initialize' && 'id' in message) this.#initialize = message;
      else this.#track(message.method, message.params);
      if (message.method === 'tools/list' && 'id' in message) this.#listing.add(String(message.id));
    }
    const transport = this.#transport;
    try {
      await transport.send(message);
    } catch (error) {
      try {
        if (!this.#sessionLost(error, transport, message)) throw error;
        await this.#renew(transport);
        await this.#transport.send(message);
      } catch (failure) {
        if ('id' in message) this.#listing.delete(String(message.id));
        throw failure;
      }
    }
  }

  /** Ends the session (MCP Streamable HTTP, "Session Management": a client that is done sends DELETE). */
  async close(): Promise<void> {
    await this.#transport.terminateSession().catch(() => {});
    await this.#transport.close().catch(() => {});
  }

  #track(method: string, params: unknown): void {
    const { uri, level } = (params ?? {}) as { uri?: unknown; level?: unknown };
    if (method === 'notifications/initialized') this.#initialized = true;
    else if (method === 'resources/subscribe' && typeof uri === 'string') this.#subscribed.add(uri);
    else if (method === 'resources/unsubscribe' && typeof uri === 'string') this.#subscribed.delete(uri);
    else if (method === 'logging/setLevel' && typeof level === 'string') this.#logLevel = level;
  }

  #open(): StreamableHTTPClientTransport {
    const transport = new StreamableHTTPClientTransport(this.#url, {
      fetch: this.#fetch,
      requestInit: { headers: this.#headers },
    });
    if (this.#protocolVersion) transport.setProtocolVersion(this.#protocolVersion);
    transport.onmessage = (message) => this.#receive(transport, message);
    transport.onerror = (error) => {
      if (transport === this.#transport) this.#log(error.message);
    };
    return transport;
  }

  /**
   * Every POST leaves with the request metadata headers its message calls for (MCP 2026-07-28, Streamable
   * HTTP "Request Metadata"); messages of earlier eras go as they are.
   */
  readonly #fetch = (url: string | URL, init?: RequestInit): Promise<Response> => {
    if (init?.method !== 'POST' || typeof init.body !== 'string') return fetch(url, init);
    let extra: Record<string, string> | null = null;
    try {
      extra = requestHeaders(JSON.parse(init.body), this.#toolHeaders);
    } catch {
      // Not JSON: the gateway answers that itself.
    }
    if (!extra) return fetch(url, init);
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    return fetch(url, { ...init, headers });
  };

  /** A tools/list answer names the parameters each tool wants mirrored into headers. */
  #learnTools(message: JSONRPCMessage): void {
    if (!('id' in message) || 'method' in message || !this.#listing.delete(String(message.id))) return;
    const tools = 'result' in message ? (message.result as { tools?: unknown }).tools : undefined;
    if (!Array.isArray(tools)) return;
    for (const tool of tools as { name?: unknown; inputSchema?: unknown }[]) {
      if (typeof tool?.name === 'string') this.#toolHeaders.set(tool.name, toolHeaders(tool.inputSchema));
    }
  }

  #receive(transport: StreamableHTTPClientTransport, message: JSONRPCMessage): void {
    if (transport !== this.#transport) return;
    this.#learnTools(message);
    if ('id' in message && !('method' in message) && this.#ownIds.delete(String(message.id))) return;
    const pending = this.#pending;
    if (pending && 'id' in message && message.id === pending.id) {
      this.#pending = null;
      if ('error' in message) pending.gate.fail(new GatewayError(502, message.error.message));
      else {
        this.#remember(message);
        pending.gate.open();
      }
      return;
    }
    this.#remember(message);
    this.onmessage(message);
  }

  /** MCP Streamable HTTP, "Protocol Version Header": later requests carry the negotiated version. */
  #remember(message: JSONRPCMessage): void {
    const result = 'result' in message ? (message.result as { protocolVersion?: unknown }) : undefined;
    if (typeof result?.protocolVersion !== 'string') return;
    this.#protocolVersion = result.protocolVersion;
    this.#transport.setProtocolVersion(result.protocolVersion);
  }

  #sessionLost(error: unknown, transport: StreamableHTTPClientTransport, message: JSONRPCMessage): boolean {
    return (
      error instanceof StreamableHTTPError &&
      unknownSession(error) &&
      transport.sessionId !== undefined &&
      this.#initialize !== null &&
      !('method' in message && message.method === 'initialize')
    );
  }

  /** One renewal at a time: every message that met the lost session waits for the same new one. */
  async #renew(lost: StreamableHTTPClientTransport): Promise<void> {
    if (lost === this.#transport && !this.#renewing) {
      this.#renewing = this.#startNewSession(lost).finally(() => {
        this.#renewing = null;
      });
    }
    await this.#renewing;
  }

  async #startNewSession(lost: StreamableHTTPClientTransport): Promise<void> {
    const initialize = this.#initialize as JSONRPCRequest;
    this.#log(`${this.#url.href} no longer knows this session (did the server restart?); starting a new one`);
    // The old session is gone on the server: closing it here only stops its GET stream.
    await lost.close().catch(() => {});
    const fresh = this.#open();
    this.#transport = fresh;
    await fresh.start();
    const id = `mcp-gateway-connect-renew-${++renewals}`;
    const gate = new ReadyGate();
    this.#pending = { id, gate };
    const answered = gate.wait(RENEW_TIMEOUT_MS, `${this.#url.href} did not answer initialize`);
    try {
      await fresh
        .send({ ...initialize, id })
        .catch((error: Error) => gate.fail(new GatewayError(502, error.message)));
      await answered;
    } finally {
      this.#pending = null;
    }
    if (this.#initialized) await fresh.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await this.#replaySetUp(fresh);
  }

  /** Subscriptions and the logging level belong to the session: the new one gets them again. */
  async #replaySetUp(fresh: StreamableHTTPClientTransport): Promise<void> {
    const requests: { method: string; params: Record<string, string> }[] = [
      ...[...this.#subscribed].map((uri) => ({ method: 'resources/subscribe', params: { uri } })),
      ...(this.#logLevel ? [{ method: 'logging/setLevel', params: { level: this.#logLevel } }] : []),
    ];
    for (const request of requests) {
      const id = `mcp-gateway-connect-renew-${++renewals}`;
      this.#ownIds.add(id);
      await fresh.send({ jsonrpc: '2.0', id, ...request }).catch((error: Error) => {
        this.#ownIds.delete(id);
        this.#log(`could not make ${request.method} again: ${error.message}`);
      });
    }
    const again = [
      this.#subscribed.size > 0 ? `${this.#subscribed.size} resource subscription(s)` : null,
      this.#logLevel ? `logging level ${this.#logLevel}` : null,
    ].filter(Boolean);
    this.#log(`new session started${again.length > 0 ? `; made again: ${again.join(', ')}` : ''}`);
  }
}
