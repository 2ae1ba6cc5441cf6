import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../src/core/jsonrpc.js';
import { summarizeMessage } from '../../src/core/summary.js';

const summary = (message: unknown, answered: string | null = null) =>
  summarizeMessage(classifyMessage(message), message, answered);

describe('one-line summaries', () => {
  it.each([
    [
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } } },
      null,
      'echo(message: hi)',
    ],
    [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'search', arguments: { q: 'x', limit: 3, tags: ['a'] } },
      },
      null,
      'search(q: x, limit: 3, tags: [1])',
    ],
    [
      { jsonrpc: '2.0', id: 1, result: { tools: Array.from({ length: 12 }, (_, i) => ({ name: `t${i}` })) } },
      'tools/list',
      '12 tools: t0, t1, +10',
    ],
    [{ jsonrpc: '2.0', id: 1, result: { tools: [{ name: 'only' }] } }, 'tools/list', '1 tool: only'],
    [
      { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'It is sunny' }] } },
      'tools/call',
      'It is sunny',
    ],
    [
      { jsonrpc: '2.0', id: 1, result: { isError: true, content: [{ type: 'text', text: 'boom' }] } },
      'tools/call',
      'tool error: boom',
    ],
    [
      { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } },
      'foo',
      'error -32601: Method not found',
    ],
    [
      {
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: 1, progress: 2, total: 5 },
      },
      null,
      'progress 2/5',
    ],
    [
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'warning', data: 'disk low' } },
      null,
      '[warning] disk low',
    ],
    [
      {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', clientInfo: { name: 'claude-code', version: '2.0' } },
      },
      null,
      'initialize claude-code 2.0 (protocol 2025-11-25)',
    ],
    [
      {
        jsonrpc: '2.0',
        id: 0,
        result: { protocolVersion: '2025-06-18', serverInfo: { name: 'memory', version: '1.0' } },
      },
      'initialize',
      'memory 1.0 (protocol 2025-06-18)',
    ],
    [
      { jsonrpc: '2.0', id: 4, method: 'resources/read', params: { uri: 'file:///a.txt' } },
      null,
      'read file:///a.txt',
    ],
    [{ jsonrpc: '2.0', id: 4, method: 'ping' }, null, 'ping'],
    [{ not: 'json-rpc' }, null, '{"not":"json-rpc"}'],
  ])('%j → %s', (message, answered, expected) => {
    expect(summary(message, answered as string | null)).toBe(expected);
  });

  it('keeps summaries to one short line', () => {
    const long = summary(
      { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'word\n'.repeat(500) }] } },
      'tools/call',
    );
    expect(long.length).toBeLessThanOrEqual(120);
    expect(long).not.toContain('\n');
  });

  it('shows the start of a long text on one line, however much whitespace it starts with', () => {
    const result = (text: string) =>
      summary({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text }] } }, 'tools/call');
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' \n ');
    expect(result(words)).toBe(`${words.replace(/\s+/g, ' ').slice(0, 119)}…`);
    // Indented output: the first few hundred characters hold little text, and all of it is kept.
    const indented = `${' '.repeat(300)}first${'\n'.repeat(300)}second ${'x'.repeat(5000)}`;
    expect(result(indented)).toBe(`first second ${'x'.repeat(106)}…`);
  });
});

describe('summaries of MCP 2026-07-28 messages', () => {
  const envelope = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'app', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };

  it('leave the _meta envelope out of requests', () => {
    expect(summary({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope } })).toBe(
      'tools/list',
    );
    expect(summary({ jsonrpc: '2.0', id: 2, method: 'server/discover', params: { _meta: envelope } })).toBe(
      'server/discover',
    );
    expect(
      summary({
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: 'hi' }, _meta: envelope },
      }),
    ).toBe('echo(message: hi)');
    expect(
      summary({
        jsonrpc: '2.0',
        id: 4,
        method: 'subscriptions/listen',
        params: { notifications: { toolsListChanged: true }, _meta: envelope },
      }),
    ).toBe('subscriptions/listen(notifications: {…})');
  });

  it('say what an input_required answer asks for, and leave resultType and _meta out of others', () => {
    const asked = {
      jsonrpc: '2.0',
      id: 3,
      result: {
        resultType: 'input_required',
        inputRequests: {
          confirm: { method: 'elicitation/create', params: { message: 'Deploy to prod?', mode: 'form' } },
        },
        requestState: 'deploy:prod',
      },
    };
    expect(summary(asked, 'tools/call')).toBe(
      'input required: confirm (elicitation/create: Deploy to prod?)',
    );
    const done = { jsonrpc: '2.0', id: 5, result: { resultType: 'complete', _meta: { a: 1 } } };
    expect(summary(done, 'subscriptions/listen')).toBe('ok');
    const discover = {
      jsonrpc: '2.0',
      id: 2,
      result: { resultType: 'complete', supportedVersions: ['2026-07-28'], _meta: envelope },
    };
    expect(summary(discover, 'server/discover')).toBe('result {supportedVersions}');
  });

  it('name the text a sampling input request asks a model about', () => {
    const asked = {
      jsonrpc: '2.0',
      id: 3,
      result: {
        resultType: 'input_required',
        inputRequests: {
          capital: {
            method: 'sampling/createMessage',
            params: {
              messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
              maxTokens: 100,
            },
          },
          roots: { method: 'roots/list' },
        },
      },
    };
    expect(summary(asked, 'tools/call')).toBe(
      'input required: capital (sampling/createMessage: What is the capital of France?), roots (roots/list)',
    );
  });

  it('say which task a call created and its state, in both eras, instead of "empty result"', () => {
    const created2025 = {
      jsonrpc: '2.0',
      id: 1,
      result: { task: { taskId: 'abc-1', status: 'working', statusMessage: 'Gathering sources' } },
    };
    expect(summary(created2025, 'tools/call')).toBe('task abc-1 working: Gathering sources');
    const created2026 = {
      jsonrpc: '2.0',
      id: 1,
      result: { resultType: 'task', taskId: 'T-9', status: 'working' },
    };
    expect(summary(created2026, 'tools/call')).toBe('task T-9 working');
    const polled = { jsonrpc: '2.0', id: 2, result: { taskId: 'abc-1', status: 'completed' } };
    expect(summary(polled, 'tasks/get')).toBe('task abc-1 completed');
  });
});
