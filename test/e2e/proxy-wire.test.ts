import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answerJson, type RawUpstream, startRawUpstream } from '../fixtures/raw-upstream.js';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { httpRequest, JSON_HEADERS, rpc } from '../helpers/http.js';
import { connectClient } from '../helpers/mcp-client.js';

/** What crosses the gateway, byte for byte and header by header, and what it records of it. */
describe('proxy on the wire', () => {
  let gw: TestGateway;
  let raw: RawUpstream;
  let json: SdkServer;
  let sse: SdkServer;

  beforeAll(async () => {
    raw = await startRawUpstream((_req, res) => answerJson(res, { jsonrpc: '2.0', id: 1, result: {} }));
    json = await startSdkServer({ json: true });
    sse = await startSdkServer({ json: false });
    gw = await startTestGateway({
      servers: {
        raw: {
          type: 'http',
          url: raw.url,
          headers: { 'X-Tenant-Key': 'tenant-secret-value', Authorization: 'Bearer configured-token' },
        },
        json: { type: 'http', url: json.url },
        sse: { type: 'http', url: sse.url },
      },
    });
  });

  afterEach(() => {
    raw.handle = (_req, res) => answerJson(res, { jsonrpc: '2.0', id: 1, result: {} });
  });

  afterAll(async () => {
    await gw?.stop();
    await Promise.all([raw?.stop(), json?.stop(), sse?.stop()]);
  });

  it('forwards the exact bytes the client sent, unknown fields and whitespace included', async () => {
    const body =
      '{ "jsonrpc":"2.0",  "id": 1, "method":"tools/call", "params":{"name":"x"}, "x-vendor": {"keep": [1,2]} }\n';
    await httpRequest(gw.proxyUrl('raw'), { method: 'POST', headers: JSON_HEADERS, body });
    expect(raw.seen.at(-1)?.body.toString('utf8')).toBe(body);
  });

  it('passes a batch through as one body and captures it message by message', async () => {
    raw.handle = (_req, res) =>
      answerJson(res, [
        { jsonrpc: '2.0', id: 'a', result: { tools: [] } },
        { jsonrpc: '2.0', id: 'b', error: { code: -32601, message: 'Method not found' } },
      ]);
    const batch = JSON.stringify([
      { jsonrpc: '2.0', id: 'a', method: 'tools/list' },
      { jsonrpc: '2.0', id: 'b', method: 'bogus/method' },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
    ]);
    const response = await httpRequest(gw.proxyUrl('raw'), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: batch,
    });
    expect(JSON.parse(response.body)).toHaveLength(2);
    expect(raw.seen.at(-1)?.body.toString()).toBe(batch);
    const records = await gw.records(
      (r) =>
        r.server === 'raw' &&
        (r.jsonrpcId === 'a' || r.jsonrpcId === 'b' || r.method === 'notifications/initialized'),
    );
    expect(records.map((r) => `${r.direction}:${r.kind}:${r.method}`)).toEqual([
      'client_to_server:request:tools/list',
      'client_to_server:request:bogus/method',
      'client_to_server:notification:notifications/initialized',
      'server_to_client:response:tools/list',
      'server_to_client:error:bogus/method',
    ]);
    expect(records[4]?.partnerId).toBe(records[1]?.id);
  });

  it('forwards end-to-end headers, drops hop-by-hop ones, adds configured headers the client did not send', async () => {
    await httpRequest(gw.proxyUrl('raw'), {
      method: 'POST',
      headers: {
        ...JSON_HEADERS,
        'Mcp-Session-Id': 'session-123',
        'MCP-Protocol-Version': '2025-11-25',
        'Last-Event-ID': 'evt-9',
        Authorization: 'Bearer client-token',
        Connection: 'keep-alive, X-Hop',
        'X-Hop': 'should not pass',
        'Keep-Alive': 'timeout=5',
        'Proxy-Authorization': 'Basic cHJveHk=',
        'X-Custom': 'passes',
      },
      body: rpc('ping'),
    });
    const seen = raw.seen.at(-1);
    const names = (seen?.rawHeaders ?? []).filter((_, i) => i % 2 === 0);
    expect(names).toEqual(
      expect.arrayContaining(['Mcp-Session-Id', 'MCP-Protocol-Version', 'Last-Event-ID', 'X-Custom']),
    );
    expect(seen?.headers.authorization).toBe('Bearer client-token');
    expect(seen?.headers['x-tenant-key']).toBe('tenant-secret-value');
    expect(seen?.headers['x-hop']).toBeUndefined();
    expect(seen?.headers['keep-alive']).toBeUndefined();
    expect(seen?.headers['proxy-authorization']).toBeUndefined();
    const [request] = await gw.records(
      (r) => r.server === 'raw' && r.sessionId === 'session-123' && r.kind === 'request',
    );
    expect(request?.requestHeaders?.authorization).toBe('Bearer [redacted]');
    expect(request?.requestHeaders?.['x-tenant-key']).toBe('[redacted]');
    expect(request?.requestHeaders?.['x-custom']).toBe('passes');
    expect(JSON.stringify(request)).not.toContain('tenant-secret-value');
    expect(JSON.stringify(request)).not.toContain('client-token');
  });

  it('returns session and auth headers, rewriting resource_metadata to the gateway, and drops hop-by-hop ones', async () => {
    raw.handle = (_req, res) => {
      res.writeHead(401, {
        'content-type': 'application/json',
        'mcp-session-id': 'upstream-session',
        'www-authenticate':
          'Bearer error="invalid_token", resource_metadata="https://upstream.example/.well-known/oauth-protected-resource/mcp"',
        'set-cookie': 'sid=abc',
        'x-upstream': 'yes',
        connection: 'close',
      });
      res.end('{"error":"unauthorized"}');
    };
    const response = await httpRequest(gw.proxyUrl('raw'), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: rpc('initialize'),
    });
    expect(response.status).toBe(401);
    expect(response.body).toBe('{"error":"unauthorized"}');
    expect(response.headers['mcp-session-id']).toBe('upstream-session');
    expect(response.headers['x-upstream']).toBe('yes');
    const port = new URL(gw.url).port;
    expect(response.headers['www-authenticate']).toBe(
      `Bearer error="invalid_token", resource_metadata="http://localhost:${port}/.well-known/oauth-protected-resource/s/raw/mcp"`,
    );
    const [record] = await gw.records(
      (r) => r.server === 'raw' && r.httpStatus === 401 && r.direction === 'server_to_client',
    );
    expect([record?.responseHeaders?.['set-cookie']].flat()).toEqual(['[redacted]']);
  });

  it('passes an HTML error page through unchanged and records it as what it was', async () => {
    const page = '<html><body><h1>500 Internal Server Error</h1></body></html>';
    raw.handle = (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end(page);
    };
    const response = await httpRequest(gw.proxyUrl('raw'), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: rpc('tools/list', 77),
    });
    expect(response.status).toBe(500);
    expect(response.body).toBe(page);
    const [record] = await gw.records((r) => r.server === 'raw' && r.message === page);
    expect(record?.kind).toBe('other');
    expect(record?.httpStatus).toBe(500);
    expect(record?.summary).toContain('500 Internal Server Error');
  });

  it('streams SSE events to the client as the upstream sends them', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    raw.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        'id: 1\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}}\n\n',
      );
      void held.then(() => {
        res.write('id: 2\ndata: {"jsonrpc":"2.0","id":5,"result":{"content":[]}}\n\n');
        res.end();
      });
    };
    const response = await fetch(gw.proxyUrl('raw'), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: rpc('tools/call', 5),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    // The upstream is still holding the rest: the first event arrived on its own.
    expect(first).toContain('notifications/progress');
    release();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toContain('"id":5');
  });

  it('cuts the client connection when the upstream breaks off an SSE stream, and records how far it got', async () => {
    raw.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        'id: e1\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"half way"}}\n\n',
      );
      setTimeout(() => res.socket?.destroy(), 50);
    };
    const response = await fetch(gw.proxyUrl('raw'), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: rpc('tools/call', 6),
    });
    await expect(response.text()).rejects.toThrow();
    const records = await gw.records(
      (r) => r.server === 'raw' && (r.summary === '[info] half way' || r.note === 'response cut short'),
    );
    expect(records.map((r) => r.summary === '[info] half way' || r.note)).toEqual([
      true,
      'response cut short',
    ]);
  });

  it('aborts the upstream request when the client disconnects', async () => {
    let arrived = false;
    raw.handle = () => {
      arrived = true;
    };
    const controller = new AbortController();
    const pending = fetch(gw.proxyUrl('raw'), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: rpc('tools/call', 8),
      signal: controller.signal,
    });
    await expect.poll(() => arrived, { timeout: 5000 }).toBe(true);
    const abortedBefore = raw.aborted.length;
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => raw.aborted.length, { timeout: 10_000 }).toBe(abortedBefore + 1);
  });

  it('carries a 5 MB tool result intact, JSON and SSE alike, and stores it once', async () => {
    for (const name of ['json', 'sse']) {
      const client = await connectClient(gw.proxyUrl(name));
      const result = await client.client.callTool({ name: 'big', arguments: { bytes: 5 * 1024 * 1024 } });
      const text = (result.content as { text: string }[])[0]?.text ?? '';
      expect(text.length).toBe(5 * 1024 * 1024);
      const sessionId = client.transport.sessionId;
      await client.close();
      const stored = await gw.records(
        (r) => r.sessionId === sessionId && r.method === 'tools/call' && r.kind === 'response',
      );
      expect(stored).toHaveLength(1);
      expect(stored[0]?.size).toBeGreaterThan(5 * 1024 * 1024);
      expect(stored[0]?.transport).toBe(name === 'json' ? 'http-json' : 'http-sse');
      expect(stored[0]?.truncated).toBe(false);
    }
  });

  it('keeps concurrent clients apart even when they use the same JSON-RPC ids', async () => {
    const clients = await Promise.all(
      ['alpha', 'beta', 'gamma'].map((name) => connectClient(gw.proxyUrl('json'), name)),
    );
    const calls = clients.flatMap((c, i) =>
      Array.from({ length: 10 }, (_, n) =>
        c.client.callTool({ name: 'echo', arguments: { message: `client${i}-call${n}` } }),
      ),
    );
    const results = await Promise.all(calls);
    results.forEach((result, index) => {
      const i = Math.floor(index / 10);
      expect(JSON.stringify(result)).toContain(`client${i}-call${index % 10}`);
    });
    for (const [i, c] of clients.entries()) {
      const sessionId = c.transport.sessionId;
      await c.close();
      const responses = await gw.records(
        (r) => r.sessionId === sessionId && r.kind === 'response' && r.method === 'tools/call',
      );
      expect(responses).toHaveLength(10);
      const all = await gw.records((r) => r.sessionId === sessionId);
      for (const response of responses) {
        const request = all.find((r) => r.id === response.partnerId);
        expect(request?.sessionId).toBe(sessionId);
        expect(request?.jsonrpcId).toBe(response.jsonrpcId);
        expect(request?.message).toContain(`client${i}-`);
        expect(response.message).toContain(JSON.parse(request?.message ?? '{}').params.arguments.message);
      }
    }
  });
});
