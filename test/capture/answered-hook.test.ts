import { describe, expect, it } from 'vitest';
import type { MessageDraft } from '../../src/capture/draft.js';
import type { CaptureListener } from '../../src/capture/pipeline.js';
import { Recorder } from '../../src/capture/recorder.js';
import type { CaptureEvent, UpstreamLeg } from '../../src/core/capture-events.js';
import { MemorySink } from '../helpers/memory-sink.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** One tools/call over HTTP, forwarded at 1002, answered by the upstream at 1040, handed back at 1041. */
function exchange(args: Record<string, unknown>): CaptureEvent[] {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 7,
    method: 'tools/call',
    params: { name: 'login', arguments: args },
  });
  return [
    {
      type: 'exchange-start',
      exchange: 1,
      time: 1001,
      arrived: 1000,
      server: 's',
      sessionId: 'session-1',
      httpMethod: 'POST',
      requestHeaders: {},
      configuredHeaders: [],
      body,
      bodySize: body.length,
      bodyTruncated: false,
    },
    {
      type: 'response-start',
      exchange: 1,
      time: 1040,
      status: 200,
      headers: { 'content-type': 'application/json' },
      mode: 'json',
      origin: 'upstream',
      forwarded: 1002,
    },
    {
      type: 'response-chunk',
      exchange: 1,
      time: 1041,
      received: 1040,
      chunk: bytes(JSON.stringify({ jsonrpc: '2.0', id: 7, result: { content: [], isError: true } })),
    },
    { type: 'exchange-end', exchange: 1, time: 1041, received: 1040, error: null, lostChunks: 0 },
  ];
}

describe('the answered hook', () => {
  it('runs once per answer, after the answer went through every listener, with its request and upstream leg', () => {
    const calls: {
      request: MessageDraft;
      response: MessageDraft;
      leg: UpstreamLeg | null;
      stored: boolean;
    }[] = [];
    const sink = new MemorySink();
    const spy: CaptureListener = {
      name: 'spy',
      answered(request, response, leg) {
        calls.push({ request, response, leg, stored: sink.records.length === 2 });
      },
    };
    const recorder = new Recorder({
      sink,
      maxMessageBytes: 1 << 20,
      onStoreFailure: (e) => {
        throw e;
      },
      onListenerError: (_l, e) => {
        throw e;
      },
      extraListeners: [spy],
    });
    recorder.record(exchange({ password: 'hunter2-very-secret' }));
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.stored).toBe(true);
    expect(call?.leg).toEqual({ forwarded: 1002, received: 1040 });
    expect(call?.request.record.method).toBe('tools/call');
    expect(call?.response.record.durationMs).toBe(41);
    // The tool-errors listener ran before: the answer is already an error; redaction ran on the request.
    expect(call?.response.record.errorMessage).not.toBeNull();
    expect(JSON.stringify(call?.request.value)).not.toContain('hunter2-very-secret');
    // The hook does not keep the request alive past the answer's trip through the pipeline.
    expect(call?.response.answers).toBeUndefined();
  });
});
