import { describe, expect, it } from 'vitest';
import { Recorder } from '../../src/capture/recorder.js';
import type { CaptureEvent, HeaderMap } from '../../src/core/capture-events.js';
import { MemorySink } from '../helpers/memory-sink.js';

const MODERN = '2026-07-28';
const SERVER_INFO = { name: 'dual-server', version: '2.0.0' };

function recorder() {
  const sink = new MemorySink();
  const r = new Recorder({
    sink,
    maxMessageBytes: 1024 * 1024,
    onStoreFailure: (e) => {
      throw e;
    },
    onListenerError: (l, e) => {
      throw new Error(`${l}: ${e}`);
    },
  });
  return { sink, record: (events: CaptureEvent[]) => r.record(events) };
}

let exchange = 0;

/** One POST exchange answered with JSON, as the HTTP proxy reports it. */
function post(
  body: unknown,
  answer: unknown,
  options: { time?: number; headers?: HeaderMap; sessionId?: string | null; answerHeaders?: HeaderMap } = {},
): CaptureEvent[] {
  const x = ++exchange;
  const time = options.time ?? 1000;
  const text = JSON.stringify(body);
  return [
    {
      type: 'exchange-start',
      exchange: x,
      time,
      server: 'dual',
      sessionId: options.sessionId ?? null,
      httpMethod: 'POST',
      requestHeaders: { 'user-agent': 'node', ...options.headers },
      configuredHeaders: [],
      body: text,
      bodySize: text.length,
      bodyTruncated: false,
    },
    {
      type: 'response-start',
      exchange: x,
      time: time + 5,
      status: answer === null ? 202 : 200,
      headers: { 'content-type': 'application/json', ...options.answerHeaders },
      mode: answer === null ? 'none' : 'json',
      origin: 'upstream',
    },
    ...(answer === null
      ? []
      : [
          {
            type: 'response-chunk' as const,
            exchange: x,
            time: time + 6,
            chunk: new TextEncoder().encode(JSON.stringify(answer)),
          },
        ]),
    { type: 'exchange-end', exchange: x, time: time + 10, error: null, lostChunks: 0 },
  ];
}

function modernRequest(
  id: number,
  method: string,
  client = 'modern-app',
  meta: Record<string, unknown> = {},
) {
  return {
    jsonrpc: '2.0',
    id,
    method,
    params: {
      _meta: {
        'io.modelcontextprotocol/protocolVersion': MODERN,
        'io.modelcontextprotocol/clientInfo': { name: client, version: '3.0.0' },
        'io.modelcontextprotocol/clientCapabilities': {},
        ...meta,
      },
    },
  };
}

function modernResult(id: number, result: Record<string, unknown> = {}) {
  return {
    jsonrpc: '2.0',
    id,
    result: {
      ...result,
      resultType: 'complete',
      _meta: { 'io.modelcontextprotocol/serverInfo': SERVER_INFO },
    },
  };
}

function legacyInitialize(id: number) {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'old-app', version: '1.0.0' },
    },
  };
}

const legacyInitialized = (id: number) => ({
  jsonrpc: '2.0',
  id,
  result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: SERVER_INFO },
});

const v2025 = { 'mcp-protocol-version': '2025-11-25' };

describe("naming each record's client, server and protocol version", () => {
  it('never gives a sessionless 2026 request the name of a 2025 client that initialized without a session', () => {
    const { sink, record } = recorder();
    record([
      ...post(legacyInitialize(0), legacyInitialized(0), { time: 1000 }),
      ...post(modernRequest(1, 'server/discover'), modernResult(1, { supportedVersions: [MODERN] }), {
        time: 2000,
      }),
      ...post(modernRequest(2, 'tools/list'), modernResult(2, { tools: [] }), { time: 3000 }),
      ...post(
        { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        { jsonrpc: '2.0', id: 1, result: { tools: [] } },
        {
          time: 4000,
          headers: v2025,
        },
      ),
    ]);
    const rows = sink.records.map((r) => [
      r.method,
      r.direction,
      r.clientName,
      r.serverName,
      r.protocolVersion,
    ]);
    expect(rows).toEqual([
      ['initialize', 'client_to_server', 'old-app', 'dual-server', '2025-11-25'],
      ['initialize', 'server_to_client', 'old-app', 'dual-server', '2025-11-25'],
      ['server/discover', 'client_to_server', 'modern-app', 'dual-server', MODERN],
      ['server/discover', 'server_to_client', 'modern-app', 'dual-server', MODERN],
      ['tools/list', 'client_to_server', 'modern-app', 'dual-server', MODERN],
      ['tools/list', 'server_to_client', 'modern-app', 'dual-server', MODERN],
      ['tools/list', 'client_to_server', 'old-app', 'dual-server', '2025-11-25'],
      ['tools/list', 'server_to_client', 'old-app', 'dual-server', '2025-11-25'],
    ]);
    // The 2026 client's records are one conversation, with an id the gateway derived; 2025's have none.
    const modern = sink.records.filter((r) => r.clientName === 'modern-app');
    expect(new Set(modern.map((r) => r.sessionId)).size).toBe(1);
    expect(modern[0]?.sessionId).toMatch(/^conv-/);
    expect(sink.records.filter((r) => r.clientName === 'old-app').every((r) => r.sessionId === null)).toBe(
      true,
    );
  });

  it('keeps two 2026 clients apart, and a trace id apart from another trace of the same client', () => {
    const { sink, record } = recorder();
    const traceparent = (trace: string) => ({ traceparent: `00-${trace}-00f067aa0ba902b7-01` });
    record([
      ...post(modernRequest(1, 'tools/list', 'a'), modernResult(1), { time: 1000 }),
      ...post(modernRequest(1, 'tools/list', 'b'), modernResult(1), { time: 1001 }),
      ...post(modernRequest(2, 'tools/call', 'a', traceparent('1'.repeat(32))), modernResult(2), {
        time: 1002,
      }),
      ...post(modernRequest(3, 'tools/call', 'a'), modernResult(3), {
        time: 1003,
        headers: { traceparent: `00-${'2'.repeat(32)}-00f067aa0ba902b7-01` },
      }),
    ]);
    const requests = sink.records.filter((r) => r.kind === 'request');
    const [a1, b1, aTraced, aOtherTrace] = requests.map((r) => r.sessionId);
    expect(a1).not.toBe(b1);
    expect(aTraced).toBe(a1);
    expect(aOtherTrace).not.toBe(a1);
    // Each answer is paired with its own client's request, though both used id 1.
    for (const response of sink.records.filter((r) => r.kind === 'response')) {
      expect(sink.records.find((r) => r.id === response.partnerId)?.sessionId).toBe(response.sessionId);
    }
  });

  it("names the 2026 client on its stdio conversation's answers and server notifications", () => {
    const { sink, record } = recorder();
    const line = (stream: 'stdin' | 'stdout', message: unknown, time: number): CaptureEvent => ({
      type: 'stdio-line',
      time,
      server: 'dual',
      sessionId: 'conv-front-1',
      stream,
      line: JSON.stringify(message),
      truncated: false,
    });
    record([
      line('stdin', modernRequest(7, 'tools/call'), 1),
      line('stdout', { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } }, 2),
      line('stdout', modernResult(7), 3),
    ]);
    expect(sink.records.map((r) => [r.clientName, r.protocolVersion, r.sessionId])).toEqual([
      ['modern-app', MODERN, 'conv-front-1'],
      ['modern-app', MODERN, 'conv-front-1'],
      ['modern-app', MODERN, 'conv-front-1'],
    ]);
    expect(sink.records[2]?.serverName).toBe('dual-server');
  });

  it('takes the version of a 2025 session from its initialize answer, and names the session with it', () => {
    const { sink, record } = recorder();
    record([
      ...post(legacyInitialize(0), legacyInitialized(0), { answerHeaders: { 'mcp-session-id': 's-1' } }),
      ...post({ jsonrpc: '2.0', method: 'notifications/initialized' }, null, {
        sessionId: 's-1',
        headers: v2025,
      }),
    ]);
    expect(sink.records.map((r) => [r.sessionId, r.clientName, r.protocolVersion])).toEqual([
      ['s-1', 'old-app', '2025-11-25'],
      ['s-1', 'old-app', '2025-11-25'],
      ['s-1', 'old-app', '2025-11-25'],
    ]);
    expect(sink.sessions).toEqual([
      expect.objectContaining({ sessionId: 's-1', protocolVersion: '2025-11-25' }),
    ]);
  });
});
