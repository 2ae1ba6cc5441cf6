import { describe, expect, it } from 'vitest';
import { Recorder } from '../../src/capture/recorder.js';
import type { CaptureEvent } from '../../src/core/capture-events.js';
import { MemorySink } from '../helpers/memory-sink.js';

function recorder(maxMessageBytes = 1024 * 1024) {
  const sink = new MemorySink();
  const errors: string[] = [];
  const r = new Recorder({
    sink,
    maxMessageBytes,
    onStoreFailure: (e) => errors.push(String(e)),
    onListenerError: (l, e) => errors.push(`${l}: ${e}`),
  });
  return { sink, errors, record: (events: CaptureEvent[]) => r.record(events) };
}

let exchange = 0;
const bytes = (text: string) => new TextEncoder().encode(text);

/** One POST exchange: the request body, the response head, the body in the given chunks. */
function post(
  server: string,
  sessionId: string | null,
  body: string,
  response: { status?: number; contentType?: string; chunks: string[]; headers?: Record<string, string> },
  t0 = 1000,
): CaptureEvent[] {
  const x = ++exchange;
  const mode =
    response.contentType === 'text/event-stream'
      ? 'sse'
      : response.contentType === 'application/json'
        ? 'json'
        : 'other';
  return [
    {
      type: 'exchange-start',
      exchange: x,
      time: t0,
      server,
      sessionId,
      httpMethod: 'POST',
      requestHeaders: { authorization: 'Bearer secret', 'x-api-key': 'k', 'user-agent': 'test/1' },
      configuredHeaders: [],
      body,
      bodySize: body.length,
      bodyTruncated: false,
    },
    {
      type: 'response-start',
      exchange: x,
      time: t0 + 5,
      status: response.status ?? 200,
      headers: { 'content-type': response.contentType ?? 'application/json', ...(response.headers ?? {}) },
      mode,
      origin: 'upstream',
    },
    ...response.chunks.map(
      (chunk, i): CaptureEvent => ({
        type: 'response-chunk',
        exchange: x,
        time: t0 + 10 + i,
        chunk: bytes(chunk),
      }),
    ),
    { type: 'exchange-end', exchange: x, time: t0 + 50, error: null, lostChunks: 0 },
  ];
}

describe('assembling captured exchanges into records', () => {
  it("pairs each response with its own session's request when clients reuse ids", () => {
    const { sink, record } = recorder();
    const request = (text: string) =>
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: text } },
      });
    const answer = (text: string) =>
      JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text }] } });
    // Both requests go out before either answer comes back.
    const a = post(
      'srv',
      'session-a',
      request('from a'),
      { contentType: 'application/json', chunks: [answer('to a')] },
      1000,
    );
    const b = post(
      'srv',
      'session-b',
      request('from b'),
      { contentType: 'application/json', chunks: [answer('to b')] },
      1001,
    );
    record([a[0], b[0], b[1], b[2], b[3], a[1], a[2], a[3]] as CaptureEvent[]);
    const responses = sink.records.filter((r) => r.kind === 'response');
    for (const response of responses) {
      const partner = sink.records.find((r) => r.id === response.partnerId);
      expect(partner?.sessionId).toBe(response.sessionId);
      expect(response.message.includes('to a')).toBe(partner?.message.includes('from a'));
      expect(response.method).toBe('tools/call');
    }
  });

  it('parses SSE events split across chunks, skipping priming events, with event ids', () => {
    const { sink, record } = recorder();
    const events = post('srv', 's', JSON.stringify({ jsonrpc: '2.0', id: 'x', method: 'tools/list' }), {
      contentType: 'text/event-stream',
      chunks: [
        'id: prime\ndata: \n\n',
        'id: e1\nevent: message\ndata: {"jsonrpc":"2.0","id":"x",',
        '"result":{"tools":[{"name":"a"},{"name":"b"},{"name":"c"}]}}\n\n',
      ],
    });
    record(events);
    const response = sink.records.find((r) => r.kind === 'response');
    expect(response?.sseEventId).toBe('e1');
    expect(response?.sseEventType).toBe('message');
    expect(response?.transport).toBe('http-sse');
    expect(response?.summary).toBe('3 tools: a, b, +1');
    expect(response?.durationMs).toBeGreaterThan(0);
    expect(sink.records).toHaveLength(2);
  });

  it('takes the session id from the initialize response and names client and server on every record', () => {
    const { sink, record } = recorder();
    const init = JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        clientInfo: { name: 'inspector', version: '0.9' },
        capabilities: {},
      },
    });
    const result = JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      result: {
        protocolVersion: '2025-11-25',
        serverInfo: { name: 'weather', version: '2.1' },
        capabilities: {},
      },
    });
    record(
      post('srv', null, init, {
        contentType: 'application/json',
        chunks: [result],
        headers: { 'mcp-session-id': 'new-session' },
      }),
    );
    record(
      post('srv', 'new-session', JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), {
        status: 202,
        contentType: 'text/plain',
        chunks: [],
      }),
    );
    expect(sink.records.map((r) => r.sessionId)).toEqual(['new-session', 'new-session', 'new-session']);
    expect(sink.records.map((r) => r.clientName)).toEqual(['inspector', 'inspector', 'inspector']);
    expect(sink.records[1]?.serverName).toBe('weather');
    expect(sink.records[2]?.serverVersion).toBe('2.1');
    expect(sink.records[2]?.httpStatus).toBe(202);
    expect(sink.sessions).toEqual([
      expect.objectContaining({
        sessionId: 'new-session',
        clientName: 'inspector',
        serverName: 'weather',
        protocolVersion: '2025-11-25',
      }),
    ]);
  });

  it('redacts credentials in stored headers', () => {
    const { sink, record } = recorder();
    record(
      post('srv', 's', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }), {
        contentType: 'application/json',
        chunks: ['{"jsonrpc":"2.0","id":1,"result":{}}'],
      }),
    );
    expect(sink.records[0]?.requestHeaders).toEqual({
      authorization: 'Bearer [redacted]',
      'x-api-key': '[redacted]',
      'user-agent': 'test/1',
    });
    expect(sink.records[0]?.userAgent).toBe('test/1');
  });

  it('stores what is not JSON-RPC as what it was, and cuts what is over the limit', () => {
    const { sink, record } = recorder(64);
    record(
      post('srv', 's', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }), {
        status: 502,
        contentType: 'text/html',
        chunks: ['<html>Bad gateway</html>'],
      }),
    );
    const html = sink.records.at(-1);
    expect(html?.kind).toBe('other');
    expect(html?.message).toBe('<html>Bad gateway</html>');
    expect(html?.httpStatus).toBe(502);
    record(
      post('srv', 's', JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }), {
        contentType: 'application/json',
        chunks: ['{"jsonrpc":"2.0","id":2,"result":{"data":"', 'x'.repeat(200), '"}}'],
      }),
    );
    const cut = sink.records.at(-1);
    expect(cut?.truncated).toBe(true);
    expect(cut?.message).toHaveLength(64);
  });

  it('records an upstream failure and a broken stream as notes', () => {
    const { sink, record } = recorder();
    const events = post('srv', 's', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call' }), {
      contentType: 'text/event-stream',
      chunks: [
        'data: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"step"}}\n\n',
      ],
    });
    const end = events.at(-1) as Extract<CaptureEvent, { type: 'exchange-end' }>;
    end.error = 'upstream broke off the response: socket hang up';
    record(events);
    expect(sink.records.map((r) => r.summary)).toEqual([
      'tools/call',
      '[info] step',
      'upstream broke off the response: socket hang up',
    ]);
    expect(sink.records.at(-1)?.note).toBe('response cut short');
  });
});
