import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { stdioServers, waitForState } from '../helpers/stdio.js';

const ACCEPT = 'application/json, text/event-stream';

/** Reads SSE events from a response until `until` says stop (or the stream ends). */
async function readEvents(
  response: Response,
  until: (event: EventSourceMessage, all: EventSourceMessage[]) => boolean = () => false,
): Promise<EventSourceMessage[]> {
  const events: EventSourceMessage[] = [];
  let done = false;
  const parser = createParser({
    onEvent: (event) => {
      if (done) return;
      events.push(event);
      done = until(event, events);
    },
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  while (!done) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  await reader.cancel().catch(() => {});
  return events;
}

const messages = (events: EventSourceMessage[]) =>
  events.filter((e) => e.data !== '').map((e) => JSON.parse(e.data) as Record<string, unknown>);

/** The Streamable HTTP side of a stdio server, spoken by hand (MCP 2025-11-25, Transports). */
describe('the Streamable HTTP endpoint of a stdio server', () => {
  let gw: TestGateway;
  let url: string;

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { fixture: stdioServers.fixture() } });
    url = gw.proxyUrl('fixture');
    await waitForState(gw, 'fixture', 'running');
  });

  afterAll(async () => {
    await gw?.stop();
  });

  const post = (body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers },
      body: JSON.stringify(body),
      signal,
    });

  async function openSession(protocolVersion = '2025-11-25'): Promise<Record<string, string>> {
    const response = await post({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion, capabilities: {}, clientInfo: { name: 'by-hand', version: '1' } },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const sessionId = response.headers.get('mcp-session-id') as string;
    const [initialized] = messages(await readEvents(response, (e) => e.data !== ''));
    expect(initialized).toMatchObject({ id: 0, result: { serverInfo: { name: 'stdio-fixture' } } });
    const headers = { 'mcp-session-id': sessionId, 'mcp-protocol-version': protocolVersion };
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status).toBe(202);
    return headers;
  }

  it('mints the session id itself, and refuses requests without it (400) or with an unknown one (404)', async () => {
    const headers = await openSession();
    expect(headers['mcp-session-id']).toMatch(/^[0-9a-f-]{36}$/);
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    const without = await post(call);
    expect(without.status).toBe(400);
    expect(await without.json()).toMatchObject({
      error: { message: expect.stringMatching(/Mcp-Session-Id header is required/) },
    });
    const unknown = await post(call, { ...headers, 'mcp-session-id': 'no-such-session' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: { code: -32001, message: expect.stringMatching(/^Session not found/) },
    });
  });

  it('answers notifications and responses with 202 and no body', async () => {
    const headers = await openSession();
    const response = await post({ jsonrpc: '2.0', method: 'notifications/roots/list_changed' }, headers);
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
  });

  it('lets a client that lost its stream resume with Last-Event-ID and receive what it missed', async () => {
    const headers = await openSession('2025-11-25');
    const controller = new AbortController();
    const response = await post(
      {
        jsonrpc: '2.0',
        id: 5,
        method: 'tools/call',
        params: { name: 'progress', arguments: { steps: 6 }, _meta: { progressToken: 'p' } },
      },
      headers,
      controller.signal,
    );
    const seen = await readEvents(response, (e) => e.data.includes('notifications/progress'));
    controller.abort();
    const lastEventId = seen.at(-1)?.id as string;
    expect(lastEventId).toBeTruthy();
    expect(messages(seen).map((m) => (m.params as { progress: number }).progress)).toEqual([1]);

    // Like a real client, retry after a delay: the gateway may not have seen the old connection close yet.
    let resumed: Response;
    for (let attempt = 0; ; attempt++) {
      resumed = await fetch(url, {
        headers: { accept: 'text/event-stream', 'last-event-id': lastEventId, ...headers },
      });
      if (resumed.status !== 409 || attempt === 20) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(resumed.status).toBe(200);
    const rest = messages(await readEvents(resumed, (e) => e.data.includes('"result"')));
    expect(rest.filter((m) => m.method).map((m) => (m.params as { progress: number }).progress)).toEqual([
      2, 3, 4, 5, 6,
    ]);
    expect(rest.at(-1)).toMatchObject({ id: 5, result: { content: [{ text: 'done in 6 steps' }] } });
  });

  it('keeps one GET stream per session (409 for a second) and ends the session on DELETE (404 after)', async () => {
    const headers = await openSession();
    const controller = new AbortController();
    const stream = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const second = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } });
    expect(second.status).toBe(409);
    controller.abort();
    const deleted = await fetch(url, { method: 'DELETE', headers });
    expect(deleted.status).toBe(200);
    const after = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, headers);
    expect(after.status).toBe(404);
    const timeline = await gw.records(
      (r) => r.sessionId === headers['mcp-session-id'] && r.transport === 'http',
    );
    expect(timeline.map((r) => r.summary)).toEqual(
      expect.arrayContaining(['GET stream opened → 200', 'GET stream refused → 409', 'DELETE session → 200']),
    );
  });

  it('records what the transport refuses (a POST that does not accept SSE), which never reaches the server', async () => {
    const headers = await openSession();
    const refused = await post(
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
      { ...headers, accept: 'application/json' },
    );
    expect(refused.status).toBe(406);
    const records = await gw.records(
      (r) => r.sessionId === headers['mcp-session-id'] && r.method === 'tools/list',
    );
    expect(records.map((r) => [r.transport, r.httpStatus])).toEqual([['http-json', 406]]);
  });
});
