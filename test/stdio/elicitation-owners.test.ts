import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { Router } from '../../src/stdio/router.js';
import type { SessionPeer } from '../../src/stdio/session-peer.js';
import { StdioCapture } from '../../src/stdio/stdio-capture.js';

type Message = Record<string, unknown>;

function session(id: string): SessionPeer & { got: Message[] } {
  const got: Message[] = [];
  return {
    id,
    clientCapabilities: { elicitation: { url: {} } },
    lastActive: 0,
    got,
    deliver: (message: JSONRPCMessage) => void got.push(message as Message),
  };
}

function setup() {
  const written: Message[] = [];
  const router = new Router({
    shared: true,
    capture: new StdioCapture({ emit: () => true }, 'srv', 1_000_000),
    requestTimeoutMs: 60_000,
    write: (line) => written.push(JSON.parse(line)) > 0,
    unavailable: () => ({ message: 'the server is down' }),
  });
  const [a, b] = [session('a'), session('b')];
  router.attach(a);
  router.attach(b);
  const fromClient = (s: SessionPeer, message: Message) =>
    router.fromClient(s, { jsonrpc: '2.0', ...message } as JSONRPCMessage, JSON.stringify(message));
  const fromServer = (message: Message) => router.fromServer(JSON.stringify({ jsonrpc: '2.0', ...message }));
  const complete = (elicitationId: string) =>
    fromServer({ method: 'notifications/elicitation/complete', params: { elicitationId } });
  const methods = (s: { got: Message[] }) => s.got.map((m) => m.method ?? m.id);
  return { router, a, b, written, fromClient, fromServer, complete, methods };
}

/** MCP 2025-11-25, Elicitation, URL mode: a completion notice is for the session that was asked. */
describe('URL elicitations of sessions sharing a process', () => {
  it('tells only the session asked by elicitation/create that its elicitation is complete', () => {
    const { a, b, fromClient, fromServer, complete, methods } = setup();
    fromClient(a, { id: 1, method: 'tools/call', params: { name: 'login', arguments: {} } });
    fromServer({
      id: 'srv-1',
      method: 'elicitation/create',
      params: { mode: 'url', url: 'https://example.com/a', message: 'log in', elicitationId: 'e-a' },
    });
    complete('e-a');
    expect(methods(a)).toEqual(['elicitation/create', 'notifications/elicitation/complete']);
    expect(b.got).toEqual([]);
  });

  it('tells only the session whose call was answered with -32042 (URL elicitation required)', () => {
    const { a, b, written, fromClient, fromServer, complete, methods } = setup();
    fromClient(b, { id: 1, method: 'tools/call', params: { name: 'login', arguments: {} } });
    const sent = written.at(-1) as { id: number };
    fromServer({
      id: sent.id,
      error: {
        code: -32042,
        message: 'This request requires browser-based authorization.',
        data: {
          elicitations: [{ mode: 'url', url: 'https://example.com/b', message: 'm', elicitationId: 'e-b' }],
        },
      },
    });
    complete('e-b');
    complete('e-unknown');
    expect(methods(b)).toEqual([1, 'notifications/elicitation/complete']);
    expect(a.got).toEqual([]);
  });

  it('tells nobody of an elicitation whose session ended', () => {
    const { router, a, b, fromClient, fromServer, complete } = setup();
    fromClient(a, { id: 1, method: 'tools/call', params: { name: 'login', arguments: {} } });
    fromServer({
      id: 'srv-1',
      method: 'elicitation/create',
      params: { mode: 'url', url: 'https://example.com/a', message: 'log in', elicitationId: 'e-a' },
    });
    router.detach(a);
    complete('e-a');
    expect(b.got).toEqual([]);
  });
});
