import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawUpstream, startRawUpstream } from '../fixtures/raw-upstream.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { httpRequest, JSON_HEADERS, rpc } from '../helpers/http.js';
import { freePort } from '../helpers/ports.js';

/** Every kind of bad input or broken upstream gets a truthful status and a JSON-RPC error that says what to do. */
describe('proxy errors', () => {
  let gw: TestGateway;
  let silent: RawUpstream;
  let deadPort: number;

  beforeAll(async () => {
    // An upstream that accepts the request and never answers.
    silent = await startRawUpstream(() => {});
    deadPort = await freePort();
    gw = await startTestGateway({
      maxBodyMb: 1,
      servers: {
        dead: { type: 'http', url: `http://127.0.0.1:${deadPort}/mcp` },
        silent: { type: 'http', url: silent.url, timeout: 300 },
        nowhere: { type: 'http', url: 'http://no-such-host.invalid/mcp' },
      },
    });
  });

  afterAll(async () => {
    await gw?.stop();
    await silent?.stop();
  });

  const post = (server: string, body: string, headers: Record<string, string> = JSON_HEADERS) =>
    httpRequest(gw.proxyUrl(server), { method: 'POST', headers, body });

  const rpcError = (body: string) =>
    JSON.parse(body) as { jsonrpc: string; id: unknown; error: { code: number; message: string } };

  it('answers 404 for an unknown server and lists the registered ones', async () => {
    const response = await post('nope', rpc('tools/list', 7));
    expect(response.status).toBe(404);
    const error = rpcError(response.body);
    expect(error.jsonrpc).toBe('2.0');
    expect(error.error.message).toContain('Unknown server "nope"');
    expect(error.error.message).toContain('dead, nowhere, silent');
  });

  it('answers 502 naming the server and URL when the upstream refuses connections, echoing the request id', async () => {
    const response = await post('dead', rpc('tools/list', 'req-42'));
    expect(response.status).toBe(502);
    const error = rpcError(response.body);
    expect(error.id).toBe('req-42');
    expect(error.error.message).toContain(`server "dead" at http://127.0.0.1:${deadPort}/mcp`);
    expect(error.error.message).toContain('connection refused');
  });

  it('answers 502 when the upstream host does not exist', async () => {
    const response = await post('nowhere', rpc('ping', 3));
    expect(response.status).toBe(502);
    expect(rpcError(response.body).error.message).toMatch(/not found|failed before answering/);
  });

  it('answers 504 when the upstream does not start answering within its timeout', async () => {
    const response = await post('silent', rpc('tools/call', 9));
    expect(response.status).toBe(504);
    const error = rpcError(response.body);
    expect(error.id).toBe(9);
    expect(error.error.message).toContain('did not start answering within 300 ms');
  });

  it('answers 413 for a body over the limit, without forwarding it', async () => {
    const before = silent.seen.length;
    const response = await post('silent', rpc('tools/call', 1, { blob: 'x'.repeat(1_100_000) }));
    expect(response.status).toBe(413);
    expect(rpcError(response.body).error.message).toContain('--max-body-mb');
    expect(silent.seen.length).toBe(before);
  });

  it('answers 400 with -32700 for malformed JSON', async () => {
    const response = await post('silent', '{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(response.status).toBe(400);
    const error = rpcError(response.body);
    expect(error.error.code).toBe(-32700);
    expect(error.id).toBeNull();
  });

  it('answers 415 for a body that is not application/json', async () => {
    const response = await post('silent', rpc('ping'), { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(rpcError(response.body).error.message).toContain('application/json');
  });

  it('answers 405 with Allow for methods outside Streamable HTTP', async () => {
    const response = await httpRequest(gw.proxyUrl('silent'), { method: 'PUT', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, POST, DELETE');
  });

  it('records refused requests and the gateway answers as what they were', async () => {
    await post('silent', 'not json at all');
    const records = await gw.records(
      (r) =>
        r.server === 'silent' && r.direction === 'client_to_server' && r.message.includes('not json at all'),
    );
    expect(records).toHaveLength(1);
    expect(records[0]?.kind).toBe('other');
    expect(records[0]?.direction).toBe('client_to_server');
    const answers = await gw.records(
      (r) => r.server === 'silent' && r.kind === 'error' && r.errorCode === -32700,
    );
    expect(answers.length).toBeGreaterThan(0);
    expect(answers[0]?.note).toBe('answered by the gateway');
    expect(answers[0]?.httpStatus).toBe(400);
  });

  it('refuses foreign Host and Origin headers on the proxy and the API alike (DNS rebinding)', async () => {
    const port = new URL(gw.url).port;
    const evilHost = await httpRequest(gw.proxyUrl('silent'), {
      method: 'POST',
      headers: { ...JSON_HEADERS, host: `evil.example:${port}` },
      body: rpc('ping'),
    });
    expect(evilHost.status).toBe(403);
    expect(rpcError(evilHost.body).error.message).toContain('--allowed-hosts evil.example');
    const evilOrigin = await httpRequest(`${gw.url}/api/status`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}`, origin: 'https://evil.example' },
    });
    expect(evilOrigin.status).toBe(403);
    expect(JSON.parse(evilOrigin.body).error).toContain('evil.example');
    // A page on another localhost port (the MCP Inspector's) may call the proxy, but not the API.
    const localOrigin = await httpRequest(`${gw.url}/api/status`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}`, origin: 'http://localhost:6274' },
    });
    expect(localOrigin.status).toBe(403);
    const inspector = await httpRequest(gw.proxyUrl('silent'), {
      method: 'POST',
      headers: { ...JSON_HEADERS, origin: 'http://localhost:6274' },
      body: rpc('ping'),
    });
    expect(inspector.status).not.toBe(403);
  });

  it('requires the gateway token on the API', async () => {
    const missing = await httpRequest(`${gw.url}/api/logs`);
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body).error).toContain('Authorization: Bearer');
    const wrong = await httpRequest(`${gw.url}/api/logs`, {
      headers: { authorization: 'Bearer not-the-token' },
    });
    expect(wrong.status).toBe(401);
    const right = await httpRequest(`${gw.url}/api/logs`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    expect(right.status).toBe(200);
  });
});
