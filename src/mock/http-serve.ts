import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../core/loopback-host.js';
import type { Fixture } from './fixture.js';
import type { Recordings } from './matcher.js';
import { type MockLog, MockSession } from './mock-session.js';

/** Largest request body read: far beyond any MCP request, small enough to never matter for memory. */
const MAX_BODY = 4 * 1024 * 1024;
/** Conversations kept; past this the oldest is forgotten (its client gets 404 and starts over). */
const MAX_SESSIONS = 1000;

export interface RunningMock {
  url: string;
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...headers,
  });
  res.end(text);
}

function hostName(header: string): string {
  return header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : (header.split(':')[0] ?? '');
}

/**
 * A mock bound to loopback answers only to loopback Host and Origin headers: a web page the user visits
 * must not reach it through DNS rebinding (MCP Transports, "Streamable HTTP", Security Warning).
 */
function refused(req: IncomingMessage, loopback: boolean): string | null {
  if (!loopback) return null;
  const host = req.headers.host ?? '';
  if (!isLoopbackHost(hostName(host)))
    return `Host "${host}" is not this machine: use http://localhost:<port>/mcp`;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    try {
      if (!isLoopbackHost(new URL(origin).hostname)) return `Origin "${origin}" may not call this mock`;
    } catch {
      return `Origin "${origin}" is not a URL`;
    }
  }
  return null;
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const isInitialize = (message: unknown) =>
  (Array.isArray(message) ? message : [message]).some(
    (m) => typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'initialize',
  );

/**
 * The mock as a Streamable HTTP server (MCP Transports, "Streamable HTTP") at `/mcp`: POST answers with
 * one JSON body (the spec lets a server answer a POST with application/json instead of a stream), an
 * initialize starts a session (Mcp-Session-Id) with its own replay position, requests without a session
 * (the sessionless 2026-07-28 era) share one. GET offers no stream (405), DELETE ends a session.
 */
export async function serveHttp(
  fixture: Fixture,
  recordings: Recordings,
  options: { host: string; port: number },
  log: MockLog,
): Promise<RunningMock> {
  const sessions = new Map<string, MockSession>();
  const sessionless = new MockSession(fixture, recordings, log);
  const loopback = isLoopbackHost(options.host);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const problem = refused(req, loopback);
    if (problem)
      return send(res, 403, { jsonrpc: '2.0', id: null, error: { code: -32600, message: problem } });
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/mcp' && path !== '/') {
      return send(res, 404, {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: `No MCP endpoint at ${path}: use /mcp` },
      });
    }
    const sessionId = req.headers['mcp-session-id'];
    const known = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (typeof sessionId === 'string' && !known) {
      return send(res, 404, {
        jsonrpc: '2.0',
        id: null,
        error: {
          code: -32001,
          message: `Session "${sessionId}" is not known to this mock (it restarted, or the session ended): initialize again`,
        },
      });
    }
    if (req.method === 'GET') return send(res, 405, undefined, { allow: 'POST, DELETE' });
    if (req.method === 'DELETE') {
      if (typeof sessionId === 'string') sessions.delete(sessionId);
      return send(res, 200);
    }
    if (req.method !== 'POST') return send(res, 405, undefined, { allow: 'POST, GET, DELETE' });
    const text = await readBody(req);
    if (text === null) {
      return send(res, 413, {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: `Request body larger than ${MAX_BODY / 2 ** 20} MiB` },
      });
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      return send(res, 400, MockSession.parseError((error as Error).message));
    }
    let session = known ?? sessionless;
    const headers: Record<string, string> = {};
    if (!known && isInitialize(message)) {
      const id = randomUUID();
      session = new MockSession(fixture, recordings, log);
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
      sessions.set(id, session);
      headers['mcp-session-id'] = id;
    }
    const answer = session.handle(message);
    if (answer === null) return send(res, 202, undefined, headers);
    return send(res, 200, answer, headers);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`request failed: ${(error as Error).message}`);
      if (!res.headersSent)
        send(res, 500, {
          jsonrpc: '2.0',
          id: null,
          error: { code: -32603, message: 'Internal error in the mock' },
        });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/mcp`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
