import type { ClientCapabilities, JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { Router } from '../../src/stdio/router.js';
import type { SessionPeer } from '../../src/stdio/session-peer.js';
import { StdioCapture } from '../../src/stdio/stdio-capture.js';

type Message = Record<string, unknown> & { id?: RequestId; params?: Record<string, unknown> };
type FakeSession = SessionPeer & { got: Message[] };

function session(id: string, capabilities: ClientCapabilities = {}): FakeSession {
  const got: Message[] = [];
  return {
    id,
    clientCapabilities: capabilities,
    lastActive: 0,
    got,
    deliver: (message: JSONRPCMessage) => void got.push(message as Message),
  };
}

/** A shared-mode router with sessions a and b attached, and what it wrote to the process. */
function setup(capabilities: ClientCapabilities = {}) {
  const written: Message[] = [];
  const router = new Router({
    shared: true,
    capture: new StdioCapture({ emit: () => true }, 'srv', 1_000_000),
    requestTimeoutMs: 60_000,
    write: (line) => written.push(JSON.parse(line)) > 0,
    unavailable: () => ({ message: 'the server is down' }),
  });
  const a = session('a', capabilities);
  const b = session('b', capabilities);
  router.attach(a);
  router.attach(b);
  const fromClient = (s: SessionPeer, message: Message) =>
    router.fromClient(s, { jsonrpc: '2.0', ...message } as JSONRPCMessage, JSON.stringify(message));
  const fromServer = (message: Message) => router.fromServer(JSON.stringify({ jsonrpc: '2.0', ...message }));
  const last = () => written[written.length - 1] as Message;
  /** A client request, answered by the server with `result` (or an error about `taskId`). */
  const ask = (s: SessionPeer, method: string, params: Record<string, unknown>, result?: unknown) => {
    fromClient(s, { id: 7, method, params });
    const sent = last();
    if (result !== undefined) fromServer({ id: sent.id, result });
    else
      fromServer({ id: sent.id, error: { code: -32602, message: `Task not found: ${sent.params?.taskId}` } });
    return sent;
  };
  return { router, a, b, fromClient, fromServer, last, ask };
}

const createTask = { name: 'research', arguments: {}, task: { ttl: 60_000 } };
const task = (taskId: string) => ({
  taskId,
  status: 'working',
  createdAt: '',
  lastUpdatedAt: '',
  ttl: 60_000,
});

describe('tasks of sessions sharing a process', () => {
  it("lists a session's own tasks only, and answers another's as a task that does not exist", () => {
    const { a, b, ask } = setup();
    ask(a, 'tools/call', createTask, { task: task('t-a') });
    expect(a.got.at(-1)?.result).toEqual({ task: task('t-a') });

    ask(b, 'tasks/list', {}, { tasks: [task('t-a')] });
    expect(b.got.at(-1)?.result).toEqual({ tasks: [] });
    ask(a, 'tasks/list', {}, { tasks: [task('t-a')] });
    expect(a.got.at(-1)?.result).toEqual({ tasks: [task('t-a')] });

    for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel']) {
      const sent = ask(b, method, { taskId: 't-a' });
      // The server was asked about a task no one has, and its answer names the id the client used.
      expect(sent.params?.taskId).not.toBe('t-a');
      expect(b.got.at(-1)).toEqual({
        jsonrpc: '2.0',
        id: 7,
        error: { code: -32602, message: 'Task not found: t-a' },
      });
      expect(ask(a, method, { taskId: 't-a' }, {}).params?.taskId).toBe('t-a');
    }
  });

  it('gives back an id with characters JSON escapes as the client wrote it', () => {
    const { b, ask } = setup();
    const odd = 'say "hi"\\ \n';
    ask(b, 'tasks/get', { taskId: odd });
    expect(b.got.at(-1)?.error).toEqual({ code: -32602, message: `Task not found: ${odd}` });
  });

  it('tells only the owner about its task, even a status that comes before the task is answered', () => {
    const { a, b, fromClient, fromServer, last } = setup();
    fromClient(a, { id: 1, method: 'tools/call', params: createTask });
    const creating = last();
    const status = { method: 'notifications/tasks/status', params: task('t-a') };
    fromServer(status);
    expect(a.got).toEqual([]);
    fromServer({ id: creating.id, result: { task: task('t-a') } });
    fromServer({
      method: 'notifications/message',
      params: {
        level: 'info',
        data: 'x',
        _meta: { 'io.modelcontextprotocol/related-task': { taskId: 't-a' } },
      },
    });
    expect(a.got.map((m) => m.method ?? m.id)).toEqual([
      1,
      'notifications/tasks/status',
      'notifications/message',
    ]);
    expect(b.got).toEqual([]);
  });

  it('forgets the tasks of a session that ended: no one else reaches them', () => {
    const { router, a, b, ask } = setup();
    ask(a, 'tools/call', createTask, { task: task('t-a') });
    router.detach(a);
    ask(b, 'tasks/list', {}, { tasks: [task('t-a')] });
    expect(b.got.at(-1)?.result).toEqual({ tasks: [] });
    expect(ask(b, 'tasks/result', { taskId: 't-a' }).params?.taskId).not.toBe('t-a');
  });

  it('asks the session that holds a client-side task about it, not the busiest session', () => {
    const { a, b, fromClient, fromServer } = setup({
      sampling: {},
      tasks: { requests: { sampling: { createMessage: {} } } },
    });
    fromClient(a, { id: 1, method: 'tools/call', params: { name: 'async-sampling', arguments: {} } });
    fromServer({
      id: 'srv-1',
      method: 'sampling/createMessage',
      params: { messages: [], maxTokens: 1, task: { ttl: 60_000 } },
    });
    expect(a.got.at(-1)?.method).toBe('sampling/createMessage');
    fromClient(a, { id: 'srv-1', result: { task: task('c-a') } });
    // b is now the session with the most recent request in flight; the server's poll still goes to a.
    fromClient(b, { id: 1, method: 'tools/call', params: { name: 'slow', arguments: {} } });
    fromServer({ id: 'srv-2', method: 'tasks/get', params: { taskId: 'c-a' } });
    expect(a.got.at(-1)).toMatchObject({ id: 'srv-2', method: 'tasks/get' });
    expect(b.got.some((m) => m.method === 'tasks/get')).toBe(false);
  });
});
