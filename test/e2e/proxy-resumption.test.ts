import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEverythingBehindGateway } from '../helpers/everything.js';
import type { TestGateway } from '../helpers/gateway.js';
import { JSON_HEADERS, rpc } from '../helpers/http.js';

interface SseEvent {
  id?: string;
  data: string;
}

/** Reads SSE events off a response body until `stop` says so, then abandons the stream. */
async function readEvents(response: Response, stop: (event: SseEvent) => boolean): Promise<SseEvent[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    buffer += decoder.decode(value, { stream: true });
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const event: SseEvent = { data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('id:')) event.id = line.slice(3).trim();
        if (line.startsWith('data:')) event.data += line.slice(5).trim();
      }
      if (event.data) {
        events.push(event);
        if (stop(event)) {
          await reader.cancel();
          return events;
        }
      }
      boundary = buffer.indexOf('\n\n');
    }
  }
}

/** MCP Streamable HTTP, "Resumability and Redelivery": a broken stream resumes with Last-Event-ID. */
describe('stream resumption through the gateway', () => {
  let gw: TestGateway;

  let stop = async () => {};

  beforeAll(async () => {
    ({ gw, stop } = await startEverythingBehindGateway());
  });

  afterAll(() => stop());

  it('replays the rest of a broken stream on a GET with Last-Event-ID, and pairs the late response', async () => {
    const url = gw.proxyUrl('everything');
    const init = await fetch(url, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: rpc('initialize', 0, {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'resumer', version: '1' },
      }),
    });
    const sessionId = init.headers.get('mcp-session-id') as string;
    await readEvents(init, () => true);
    const session = { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    await fetch(url, {
      method: 'POST',
      headers: session,
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });

    const call = await fetch(url, {
      method: 'POST',
      headers: session,
      body: rpc('tools/call', 7, {
        name: 'trigger-long-running-operation',
        arguments: { duration: 0.8, steps: 4 },
        _meta: { progressToken: 'p' },
      }),
    });
    // Take the first progress event, then drop the connection as a flaky network would.
    const first = await readEvents(call, (event) => event.data.includes('notifications/progress'));
    const lastEventId = first.at(-1)?.id as string;
    expect(lastEventId).toBeTruthy();

    // Reconnect after the operation has finished, as a client waiting out its retry interval would: the
    // server stored the events it could not deliver and replays them.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const resumed = await fetch(url, {
      method: 'GET',
      headers: {
        accept: 'text/event-stream',
        'mcp-session-id': sessionId,
        'last-event-id': lastEventId,
        'mcp-protocol-version': '2025-11-25',
      },
    });
    expect(resumed.status).toBe(200);
    const rest = await readEvents(resumed, (event) => event.data.includes('"id":7'));
    expect(rest.at(-1)?.data).toContain('Long running operation completed');

    const records = await gw.records((r) => r.sessionId === sessionId && r.method === 'tools/call');
    const request = records.find((r) => r.kind === 'request');
    const response = records.find((r) => r.kind === 'response');
    expect(response?.transport).toBe('http-get-sse');
    expect(response?.partnerId).toBe(request?.id);
    expect(response?.durationMs).toBeGreaterThan(0);
  });
});
