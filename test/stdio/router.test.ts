import type { ClientCapabilities, JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaptureEvent } from '../../src/core/capture-events.js';
import { Router } from '../../src/stdio/router.js';
import type { SessionPeer } from '../../src/stdio/session-peer.js';
import { StdioCapture } from '../../src/stdio/stdio-capture.js';

interface Delivered {
  message: Record<string, unknown>;
  related: RequestId | undefined;
  note: string | undefined;
}

type FakeSession = SessionPeer & { got: Delivered[] };

function session(id: string, capabilities: ClientCapabilities = {}): FakeSession {
  const got: Delivered[] = [];
  return {
    id,
    clientCapabilities: capabilities,
    lastActive: 0,
    got,
    deliver(message: JSONRPCMessage, _text: string, related: RequestId | undefined, note?: string) {
      got.push({ message: message as Record<string, unknown>, related, note });
    },
  };
}

function setup(shared = true) {
  const written: Record<string, unknown>[] = [];
  const events: CaptureEvent[] = [];
  const capture = new StdioCapture({ emit: (event) => events.push(event) > 0 }, 'srv', 1_000_000);
  const router = new Router({
    shared,
    capture,
    requestTimeoutMs: 60_000,
    write: (line) => {
      written.push(JSON.parse(line));
      return true;
    },
    unavailable: () => ({ message: 'the server is down' }),
  });
  const fromClient = (s: SessionPeer, message: Record<string, unknown>) =>
    router.fromClient(
      s,
      { jsonrpc: '2.0', ...message } as JSONRPCMessage,
      JSON.stringify({ jsonrpc: '2.0', ...message }),
    );
  const fromServer = (message: Record<string, unknown>) =>
    router.fromServer(JSON.stringify({ jsonrpc: '2.0', ...message }));
  const lastWritten = () =>
    written[written.length - 1] as Record<string, unknown> & { params?: Record<string, unknown> };
  return { router, written, events, fromClient, fromServer, lastWritten };
}

const call = (id: RequestId, name: string, token?: string | number) => ({
  id,
  method: 'tools/call',
  params: { name, arguments: {}, ...(token !== undefined ? { _meta: { progressToken: token } } : {}) },
});

afterEach(() => {
  vi.useRealTimers();
});

describe('routing in shared mode', () => {
  it("gives each forwarded request its own server-side id and restores the client's id on the answer", () => {
    const { router, written, fromClient, fromServer } = setup();
    const a = session('a');
    const b = session('b');
    router.attach(a);
    router.attach(b);
    fromClient(a, call(1, 'first'));
    fromClient(b, call(1, 'second'));
    const [toServerA, toServerB] = written as { id: number }[];
    expect(toServerA?.id).not.toBe(toServerB?.id);
    fromServer({ id: toServerB?.id, result: { content: [{ type: 'text', text: 'for b' }] } });
    fromServer({ id: toServerA?.id, result: { content: [{ type: 'text', text: 'for a' }] } });
    expect(a.got.map((d) => [d.message.id, JSON.stringify(d.message.result)])).toEqual([
      [1, expect.stringContaining('for a')],
    ]);
    expect(b.got.map((d) => [d.message.id, JSON.stringify(d.message.result)])).toEqual([
      [1, expect.stringContaining('for b')],
    ]);
    expect(a.got[0]?.related).toBe(1);
  });

  it('routes progress by token to the request that asked for it, with the client token restored', () => {
    const { router, written, fromClient, fromServer } = setup();
    const a = session('a');
    const b = session('b');
    router.attach(a);
    router.attach(b);
    fromClient(a, call(7, 'slow', 'tok'));
    fromClient(b, call(7, 'slow', 'tok'));
    const tokens = written.map(
      (w) => ((w.params as Record<string, unknown>)._meta as { progressToken: unknown }).progressToken,
    );
    expect(new Set(tokens).size).toBe(2);
    fromServer({
      method: 'notifications/progress',
      params: { progressToken: tokens[1], progress: 1, total: 2 },
    });
    expect(a.got).toEqual([]);
    expect(b.got).toEqual([
      {
        message: {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: 'tok', progress: 1, total: 2 },
        },
        related: 7,
        note: undefined,
      },
    ]);
  });

  it("sends a client's cancellation to the server with the server-side id, and drops one for an answered request", () => {
    const { router, written, fromClient, fromServer, lastWritten } = setup();
    const a = session('a');
    router.attach(a);
    fromClient(a, call(3, 'slow'));
    const upstreamId = lastWritten().id;
    fromClient(a, { method: 'notifications/cancelled', params: { requestId: 3, reason: 'bored' } });
    expect(lastWritten()).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: upstreamId, reason: 'bored' },
    });
    fromServer({ id: upstreamId, result: {} });
    const count = written.length;
    fromClient(a, { method: 'notifications/cancelled', params: { requestId: 3 } });
    expect(written.length).toBe(count);
  });

  it("answers each session's initialize from the server's own result, and keeps the session's handshake to itself", () => {
    const { router, written, fromClient } = setup();
    router.initResult = {
      protocolVersion: '2025-06-18',
      capabilities: { tools: {} },
      serverInfo: { name: 'real-server', version: '2.0.0' },
    };
    const a = session('a', undefined);
    router.attach(a);
    fromClient(a, {
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: { sampling: {} },
        clientInfo: { name: 'c', version: '1' },
      },
    });
    fromClient(a, { method: 'notifications/initialized' });
    expect(written).toEqual([]);
    expect(a.got[0]?.message).toEqual({ jsonrpc: '2.0', id: 0, result: router.initResult });
    expect(a.got[0]?.note).toMatch(/answered by the gateway/);
    expect(a.clientCapabilities).toEqual({ sampling: {} });
  });

  it("answers a session asking for an older protocol version with that version, and a newer one with the server's", () => {
    const { router, fromClient } = setup();
    router.initResult = {
      protocolVersion: '2025-06-18',
      capabilities: {},
      serverInfo: { name: 's', version: '1' },
    };
    const old = session('old');
    const future = session('future');
    router.attach(old);
    router.attach(future);
    const initialize = (s: FakeSession, protocolVersion: string) =>
      fromClient(s, {
        id: 0,
        method: 'initialize',
        params: { protocolVersion, capabilities: {}, clientInfo: { name: 'c', version: '1' } },
      });
    initialize(old, '2025-03-26');
    initialize(future, '2099-01-01');
    const version = (s: FakeSession) =>
      (s.got[0]?.message.result as { protocolVersion?: string } | undefined)?.protocolVersion;
    expect(version(old)).toBe('2025-03-26');
    expect(version(future)).toBe('2025-06-18');
  });

  it('sends a server request to the session with a call in flight, else the most recently active one able to answer', () => {
    const { router, fromClient, fromServer, lastWritten } = setup();
    const idle = session('idle', { sampling: {} });
    const busy = session('busy', { sampling: {} });
    const noSampling = session('plain');
    for (const s of [idle, busy, noSampling]) router.attach(s);
    idle.lastActive = 100;
    fromClient(busy, call(1, 'needs-sampling'));
    busy.lastActive = 50;
    noSampling.lastActive = 1000;
    fromServer({ id: 'srv-1', method: 'sampling/createMessage', params: { messages: [], maxTokens: 1 } });
    expect(busy.got.map((d) => [d.message.method, d.related])).toEqual([['sampling/createMessage', 1]]);
    // The client's answer goes back unchanged, and only from the session that was asked.
    fromClient(idle, {
      id: 'srv-1',
      result: { model: 'x', role: 'assistant', content: { type: 'text', text: '' } },
    });
    expect(lastWritten().method).toBe('tools/call');
    fromClient(busy, {
      id: 'srv-1',
      result: { model: 'm', role: 'assistant', content: { type: 'text', text: 'hi' } },
    });
    expect(lastWritten()).toMatchObject({ id: 'srv-1', result: { model: 'm' } });

    fromServer({ id: 'srv-2', method: 'sampling/createMessage', params: { messages: [], maxTokens: 1 } });
    fromServer({
      id: 'srv-3',
      method: 'elicitation/create',
      params: { message: 'name?', requestedSchema: {} },
    });
    expect(lastWritten()).toMatchObject({
      id: 'srv-3',
      error: { message: expect.stringMatching(/no connected client supports it/) },
    });
  });

  it('answers the server when no session is connected, and answers its pings itself', () => {
    const { fromServer, lastWritten } = setup();
    fromServer({ id: 9, method: 'roots/list' });
    expect(lastWritten()).toMatchObject({
      id: 9,
      error: { message: expect.stringMatching(/no client session is connected/) },
    });
    fromServer({ id: 10, method: 'ping' });
    expect(lastWritten()).toEqual({ jsonrpc: '2.0', id: 10, result: {} });
  });

  it('delivers resource updates only to the sessions subscribed, and keeps the server subscribed while any session is', () => {
    const { router, written, fromClient, fromServer, lastWritten } = setup();
    const a = session('a');
    const b = session('b');
    const c = session('c');
    for (const s of [a, b, c]) router.attach(s);
    const uri = 'file:///notes.md';
    for (const s of [a, b]) {
      fromClient(s, { id: 1, method: 'resources/subscribe', params: { uri } });
      fromServer({ id: lastWritten().id, result: {} });
    }
    fromServer({ method: 'notifications/resources/updated', params: { uri } });
    expect([a, b, c].map((s) => s.got.filter((d) => d.message.method).length)).toEqual([1, 1, 0]);

    const before = written.length;
    fromClient(a, { id: 2, method: 'resources/unsubscribe', params: { uri } });
    expect(written.length).toBe(before);
    expect(a.got.at(-1)?.message).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    // The last subscriber leaving (here: its session ending) unsubscribes the server.
    router.detach(b);
    expect(lastWritten()).toMatchObject({ method: 'resources/unsubscribe', params: { uri } });
  });

  it('fans list_changed out to every session', () => {
    const { router, fromServer } = setup();
    const sessions = [session('a'), session('b')];
    for (const s of sessions) router.attach(s);
    fromServer({ method: 'notifications/tools/list_changed' });
    expect(sessions.map((s) => s.got.map((d) => d.message.method))).toEqual([
      ['notifications/tools/list_changed'],
      ['notifications/tools/list_changed'],
    ]);
  });

  it('logs at the most verbose level any session asked for, and gives each session what its own level admits', () => {
    const { router, fromClient, fromServer, lastWritten } = setup();
    const quiet = session('quiet');
    const chatty = session('chatty');
    router.attach(quiet);
    router.attach(chatty);
    fromClient(quiet, { id: 1, method: 'logging/setLevel', params: { level: 'error' } });
    expect(lastWritten().params).toEqual({ level: 'error' });
    fromClient(chatty, { id: 1, method: 'logging/setLevel', params: { level: 'debug' } });
    expect(lastWritten().params).toEqual({ level: 'debug' });
    fromClient(quiet, { id: 2, method: 'logging/setLevel', params: { level: 'error' } });
    expect(lastWritten().params).toEqual({ level: 'debug' });
    fromServer({ method: 'notifications/message', params: { level: 'info', data: 'hello' } });
    fromServer({ method: 'notifications/message', params: { level: 'critical', data: 'fire' } });
    const logs = (s: FakeSession) =>
      s.got.filter((d) => d.message.method).map((d) => (d.message.params as { data: string }).data);
    expect(logs(quiet)).toEqual(['fire']);
    expect(logs(chatty)).toEqual(['hello', 'fire']);
  });

  it('fails every request in flight, at once and with the reason, when the process is gone', () => {
    const { router, fromClient } = setup();
    const a = session('a');
    router.attach(a);
    fromClient(a, call(1, 'x'));
    fromClient(a, call(2, 'y'));
    router.fail({ message: 'stdio server "srv" exited (exit code 1)', data: { exitCode: 1 } });
    expect(a.got.map((d) => [d.message.id, (d.message.error as { code: number }).code])).toEqual([
      [1, -32001],
      [2, -32001],
    ]);
    expect(router.inFlight).toBe(0);
  });

  it('times out a request the server never answers, cancels it at the server, and restarts the clock on progress', () => {
    vi.useFakeTimers();
    const { router, fromClient, fromServer, lastWritten } = setup();
    const a = session('a');
    router.attach(a);
    fromClient(a, call(1, 'forever', 'p'));
    const token = (lastWritten().params?._meta as { progressToken: unknown } | undefined)?.progressToken;
    vi.advanceTimersByTime(50_000);
    fromServer({ method: 'notifications/progress', params: { progressToken: token, progress: 1 } });
    vi.advanceTimersByTime(50_000);
    expect(a.got.filter((d) => 'error' in d.message)).toEqual([]);
    vi.advanceTimersByTime(10_001);
    expect(a.got.at(-1)?.message).toMatchObject({
      id: 1,
      error: { message: expect.stringMatching(/did not answer tools\/call within 60 s/) },
    });
    expect(lastWritten()).toMatchObject({ method: 'notifications/cancelled' });
  });

  it('fails the request named at the end of a line too long to forward, instead of letting it wait', () => {
    const { router, fromClient, lastWritten } = setup();
    const a = session('a');
    router.attach(a);
    fromClient(a, call(4, 'huge'));
    router.tooLong({
      totalBytes: 40 * 1024 * 1024,
      limitBytes: 32 * 1024 * 1024,
      head: '{"result":{"content":[{"type":"text","text":"xxxxxx',
      tail: `xxxxxxx"}]},"jsonrpc":"2.0","id":${String(lastWritten().id)}}`,
    });
    expect(a.got[0]?.message).toMatchObject({
      id: 4,
      error: {
        message: expect.stringMatching(
          /answered tools\/call with a message of 40\.0 MiB, over the gateway's limit of 32\.0 MiB/,
        ),
      },
    });
  });

  it('fails the request named at the start of a line too long to forward (id written first)', () => {
    const { router, fromClient, lastWritten } = setup();
    const a = session('a');
    const b = session('b');
    router.attach(a);
    router.attach(b);
    fromClient(a, call(1, 'other'));
    fromClient(b, call(1, 'huge'));
    router.tooLong({
      totalBytes: 40 * 1024 * 1024,
      limitBytes: 32 * 1024 * 1024,
      head: `{"jsonrpc":"2.0","id":${String(lastWritten().id)},"result":{"content":[{"type":"text","text":"zzz`,
      tail: 'zzzzzzzzzzzz"}]}}',
    });
    expect(a.got).toEqual([]);
    expect(b.got[0]?.message).toMatchObject({
      id: 1,
      error: { message: expect.stringMatching(/raise "maxLineMb" for ".*" in mcp\.json \(now 32\)/) },
    });
  });

  it('fails the one request in flight for a cut answer that shows no id, and only then', () => {
    const { router, fromClient } = setup();
    const a = session('a');
    router.attach(a);
    const cut = { totalBytes: 40 << 20, limitBytes: 32 << 20, tail: 'zzzz"}]}}' };
    fromClient(a, call(1, 'huge'));
    router.tooLong({ ...cut, head: '{"method":"notifications/message","params":{"data":"zzz' });
    expect(a.got).toEqual([]);
    router.tooLong({ ...cut, head: '{"jsonrpc":"2.0","result":{"content":[{"type":"text","text":"zzz' });
    expect(a.got[0]?.message).toMatchObject({
      id: 1,
      error: { message: expect.stringMatching(/40\.0 MiB/) },
    });
  });

  it("records what it cannot forward on the server's timeline, and forwards nothing of it", () => {
    const { router, events } = setup();
    const a = session('a');
    router.attach(a);
    router.fromServer('Listening on stdio...');
    router.fromServer(JSON.stringify({ jsonrpc: '2.0', id: 999, result: {} }));
    expect(a.got).toEqual([]);
    expect(events.map((e) => (e.type === 'stdio-line' ? [e.sessionId, e.note] : null))).toEqual([
      [null, expect.stringMatching(/^not forwarded: not JSON/)],
      [null, expect.stringMatching(/^not forwarded: an answer no session waits for/)],
    ]);
  });
});

describe('routing in isolated mode', () => {
  it('passes messages through unchanged, ids, tokens and initialize included', () => {
    const { router, written, fromClient, fromServer } = setup(false);
    const a = session('a');
    router.attach(a);
    fromClient(a, {
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
    });
    fromClient(a, call('abc', 'x', 'tok'));
    expect(written.map((w) => w.id)).toEqual([0, 'abc']);
    expect((written[1]?.params as { _meta: unknown } | undefined)?._meta).toEqual({ progressToken: 'tok' });
    fromServer({ method: 'notifications/progress', params: { progressToken: 'tok', progress: 1 } });
    fromServer({ method: 'notifications/message', params: { level: 'debug', data: 'x' } });
    fromServer({ id: 'abc', result: {} });
    expect(a.got.map((d) => [d.message.method ?? d.message.id, d.related])).toEqual([
      ['notifications/progress', 'abc'],
      ['notifications/message', 'abc'],
      ['abc', 'abc'],
    ]);
  });
});
