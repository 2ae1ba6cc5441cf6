import { describe, expect, it } from 'vitest';
import { Recorder } from '../../src/capture/recorder.js';
import type { CaptureEvent } from '../../src/core/capture-events.js';
import { MemorySink } from '../helpers/memory-sink.js';

function recorder() {
  const sink = new MemorySink();
  const r = new Recorder({
    sink,
    maxMessageBytes: 1024 * 1024,
    onStoreFailure: (e) => {
      throw e;
    },
    onListenerError: (_l, e) => {
      throw e;
    },
  });
  return { sink, record: (events: CaptureEvent[]) => r.record(events) };
}

const bytes = (text: string) => new TextEncoder().encode(text);
const call = (id: number) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } });
const answer = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, result: { content: [] } });
const sse = (text: string) => `event: message\ndata: ${text}\n\n`;

function start(exchange: number, body: string | null, method = 'POST', arrived?: number): CaptureEvent {
  return {
    type: 'exchange-start',
    exchange,
    time: (arrived ?? 1000) + 0.5,
    arrived,
    server: 's',
    sessionId: 'session-1',
    httpMethod: method,
    requestHeaders: {},
    configuredHeaders: [],
    body,
    bodySize: body?.length ?? 0,
    bodyTruncated: false,
  };
}

function head(exchange: number, mode: 'json' | 'sse', forwarded?: number): CaptureEvent {
  const type = mode === 'sse' ? 'text/event-stream' : 'application/json';
  return {
    type: 'response-start',
    exchange,
    time: 1010,
    status: 200,
    headers: { 'content-type': type },
    mode,
    origin: forwarded === undefined ? 'gateway' : 'upstream',
    forwarded,
  };
}

const answerOf = (sink: MemorySink, id: number) =>
  sink.records.find((r) => r.kind === 'response' && r.jsonrpcId === id);

describe('where an answered request’s time went', () => {
  it('a JSON answer: the upstream’s part runs from forwarding to its last byte, the gateway’s is around it', () => {
    const { sink, record } = recorder();
    record([
      start(1, call(1), 'POST', 1000),
      head(1, 'json', 1001),
      { type: 'response-chunk', exchange: 1, time: 1305.1, received: 1305, chunk: bytes(answer(1)) },
      { type: 'exchange-end', exchange: 1, time: 1350.25, received: 1350, error: null, lostChunks: 0 },
    ]);
    // The request is dated when the gateway had it, so the two parts make up the duration exactly.
    expect(sink.records[0]?.time).toBe(1000);
    expect(answerOf(sink, 1)).toMatchObject({ durationMs: 350.25, upstreamMs: 349, gatewayMs: 1.25 });
  });

  it('an SSE answer: up to the chunk that completed its event', () => {
    const { sink, record } = recorder();
    record([
      start(2, call(2), 'POST', 2000),
      head(2, 'sse', 2002),
      { type: 'response-chunk', exchange: 2, time: 2100.5, received: 2100, chunk: bytes(sse(answer(2))) },
      { type: 'exchange-end', exchange: 2, time: 2101, received: 2100.75, error: null, lostChunks: 0 },
    ]);
    expect(answerOf(sink, 2)).toMatchObject({ durationMs: 100.5, upstreamMs: 98, gatewayMs: 2.5 });
  });

  it('an answer the gateway wrote itself, or one that came on another stream, carries no split', () => {
    const { sink, record } = recorder();
    record([
      // Answered by the gateway: never forwarded.
      start(3, call(3), 'POST', 3000),
      head(3, 'json'),
      { type: 'response-chunk', exchange: 3, time: 3001, chunk: bytes(answer(3)) },
      { type: 'exchange-end', exchange: 3, time: 3002, error: null, lostChunks: 0 },
      // A POST answered 202-style with nothing, its answer arriving on the session's GET stream.
      start(4, call(4), 'POST', 4000),
      head(4, 'json', 4001),
      { type: 'exchange-end', exchange: 4, time: 4002, received: 4002, error: null, lostChunks: 0 },
      start(5, null, 'GET'),
      head(5, 'sse', 4003),
      { type: 'response-chunk', exchange: 5, time: 4500, received: 4499, chunk: bytes(sse(answer(4))) },
    ]);
    expect(answerOf(sink, 3)).toMatchObject({ gatewayMs: null, upstreamMs: null });
    expect(answerOf(sink, 3)?.durationMs).not.toBeNull();
    expect(answerOf(sink, 4)).toMatchObject({ gatewayMs: null, upstreamMs: null, durationMs: 500 });
  });

  it('over stdio: from stdin to stdout is the upstream’s, and an answer without its leg carries no split', () => {
    const { sink, record } = recorder();
    const line = (stream: 'stdin' | 'stdout', text: string, time: number, extra = {}): CaptureEvent => ({
      type: 'stdio-line',
      time,
      server: 'io',
      sessionId: 'session-2',
      stream,
      line: text,
      truncated: false,
      ...extra,
    });
    record([
      line('stdin', call(6), 6003, { arrived: 6000 }),
      line('stdout', answer(6), 6310, { leg: { forwarded: 6004, received: 6309 } }),
      line('stdin', call(7), 7003, { arrived: 7000 }),
      line('stdout', answer(7), 7010),
    ]);
    expect(answerOf(sink, 6)).toMatchObject({ durationMs: 310, upstreamMs: 305, gatewayMs: 5 });
    expect(answerOf(sink, 7)).toMatchObject({ durationMs: 10, gatewayMs: null, upstreamMs: null });
  });
});
