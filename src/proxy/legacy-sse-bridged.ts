import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError, jsonRpcErrorBody, RpcErrorCode } from '../core/errors.js';
import { parseJsonBody } from '../core/jsonrpc.js';
import { replyWithError } from './gateway-reply.js';
import { PROXY_TOKEN_HEADER } from './proxy-token.js';
import { legacyPaths, type ProxyRoute } from './route.js';

interface BridgedSession {
  server: string;
  transport: StreamableHTTPClientTransport;
  res: ServerResponse;
}

/**
 * Client headers worth carrying over to the gateway's own endpoint: credentials for the upstream, and the
 * gateway token that `--proxy-auth` asks of that endpoint too.
 */
const CARRIED = ['authorization', 'user-agent', PROXY_TOKEN_HEADER];

/**
 * Legacy HTTP+SSE clients (MCP 2024-11-05) of a Streamable HTTP or stdio server. The gateway plays the old
 * transport's server to the client (a GET stream whose `endpoint` event names `/s/<name>/message`) and a
 * Streamable HTTP client of its own `/s/<name>/mcp`, over loopback: the traffic passes the proxy like any
 * other client's, so it is captured once, in its own session, with nothing special on the hot path.
 */
export class BridgedSseClients {
  readonly #sessions = new Map<string, BridgedSession>();
  /** Over HTTPS: a fetch that trusts the gateway's own certificate, for the loopback leg. */
  readonly #selfFetch: typeof fetch | undefined;

  constructor(selfFetch?: typeof fetch) {
    this.#selfFetch = selfFetch;
  }

  has(id: string, server: string): boolean {
    return this.#sessions.get(id)?.server === server;
  }

  async open(req: IncomingMessage, res: ServerResponse, route: ProxyRoute): Promise<void> {
    const id = randomUUID();
    const headers: Record<string, string> = {};
    for (const name of CARRIED) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const transport = new StreamableHTTPClientTransport(ownEndpoint(req, route), {
      requestInit: { headers },
      ...(this.#selfFetch ? { fetch: this.#selfFetch } : {}),
    });
    const session: BridgedSession = { server: route.name, transport, res };
    transport.onmessage = (message) => {
      // MCP Streamable HTTP, "Protocol Version Header": later requests carry the version initialize agreed.
      const result = 'result' in message ? (message.result as { protocolVersion?: unknown }) : undefined;
      if (typeof result?.protocolVersion === 'string') transport.setProtocolVersion(result.protocolVersion);
      writeEvent(res, 'message', JSON.stringify(message));
    };
    transport.onerror = () => {
      // Failed sends are answered to the client where they happen; a broken GET stream is retried by the SDK.
    };
    transport.onclose = () => this.#end(id);
    try {
      await transport.start();
    } catch (error) {
      replyWithError(res, new GatewayError(502, (error as Error).message), null, null);
      return;
    }
    this.#sessions.set(id, session);
    res.once('close', () => {
      // Closing the stream is how a 2024-11-05 client ends its session: end the gateway's one too.
      this.#sessions.delete(id);
      void transport.terminateSession().catch(() => {});
      void transport.close().catch(() => {});
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    writeEvent(res, 'endpoint', `${legacyPaths(route).message}?sessionId=${id}`);
  }

  /** A client's POST: accepted at once (202), its answer arrives on the client's stream. */
  message(res: ServerResponse, id: string, body: Buffer): void {
    const session = this.#sessions.get(id);
    const parsed = parseJsonBody(body.toString('utf8'));
    if (!session || !parsed.ok) {
      const error = session
        ? new GatewayError(400, 'Parse error: the body is not valid JSON. Send one JSON-RPC message.', {
            rpcCode: RpcErrorCode.ParseError,
          })
        : new GatewayError(404, `Session not found: open the SSE stream again.`);
      replyWithError(res, error, null, null);
      return;
    }
    res.writeHead(202).end('Accepted');
    for (const message of parsed.messages as JSONRPCMessage[]) {
      session.transport.send(message).catch((error: Error) => {
        if (!('method' in message) || !('id' in message)) return;
        const text =
          answeredError(error) ?? jsonRpcErrorBody(message.id, RpcErrorCode.GatewayFailure, error.message);
        writeEvent(session.res, 'message', withId(text, message.id));
      });
    }
  }

  #end(id: string): void {
    const session = this.#sessions.get(id);
    if (!session) return;
    this.#sessions.delete(id);
    session.res.end();
  }

  forget(name: string): void {
    for (const [id, session] of [...this.#sessions]) if (session.server === name) this.#end(id);
  }

  closeAll(): number {
    const count = this.#sessions.size;
    for (const id of [...this.#sessions.keys()]) this.#end(id);
    return count;
  }
}

/** The gateway's own `/mcp` URL for this route, at the address the client reached it on (so Host passes). */
function ownEndpoint(req: IncomingMessage, route: ProxyRoute): URL {
  const raw = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const host = raw.includes(':') ? `[${raw}]` : raw;
  const path = route.path.replace(/\/sse$/, '/mcp');
  const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  return new URL(`${scheme}://${host}:${req.socket.localPort}${path}`);
}

function writeEvent(res: ServerResponse, event: string, data: string): void {
  if (res.writableEnded || res.destroyed) return;
  res.write(`event: ${event}\ndata: ${data}\n\n`);
}

/** The JSON-RPC error body a refused POST carried, as the gateway or the server wrote it. */
function answeredError(error: Error): string | null {
  const start = error.message.indexOf('{');
  if (start === -1) return null;
  const parsed = parseJsonBody(error.message.slice(start));
  return parsed.ok && !parsed.isBatch ? JSON.stringify(parsed.value) : null;
}

function withId(text: string, id: unknown): string {
  const value = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify({ ...value, id });
}
