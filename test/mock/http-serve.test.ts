import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_FORMAT, FIXTURE_VERSION, type Fixture } from '../../src/mock/fixture.js';
import { type RunningMock, serveHttp } from '../../src/mock/http-serve.js';
import { DEFAULT_MATCH, Recordings } from '../../src/mock/matcher.js';

const fixture: Fixture = {
  format: FIXTURE_FORMAT,
  version: FIXTURE_VERSION,
  server: {
    name: 'demo',
    serverInfo: { name: 'demo-server', version: '1.0.0' },
    protocolVersion: '2025-06-18',
  },
  source: { sessionId: 's1', filter: null, exportedAt: '2026-01-01T00:00:00.000Z' },
  handshake: {
    method: 'initialize',
    result: {
      protocolVersion: '2025-06-18',
      capabilities: { tools: {} },
      serverInfo: { name: 'demo-server', version: '1.0.0' },
    },
  },
  exchanges: [{ method: 'tools/list', params: {}, result: { tools: [] } }],
};

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: node:http lets a test send the Host header a browser page under DNS rebinding would. */
function send(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('the mock over Streamable HTTP', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await serveHttp(
      fixture,
      new Recordings(fixture.exchanges, DEFAULT_MATCH),
      { host: '127.0.0.1', port: 0 },
      () => {},
    );
  });
  afterAll(async () => mock?.close());

  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18' },
  };

  it('refuses a foreign Host or Origin on loopback (DNS rebinding)', async () => {
    const host = await send(mock.url, 'POST', { host: 'evil.example:80' }, initialize);
    expect(host.status).toBe(403);
    expect(JSON.parse(host.body).error.message).toContain('Host "evil.example:80" is not this machine');
    const origin = await send(mock.url, 'POST', { origin: 'https://evil.example' }, initialize);
    expect(origin.status).toBe(403);
  });

  it('starts a session on initialize, answers in it, ends it on DELETE, and says so for an unknown one', async () => {
    const opened = await send(mock.url, 'POST', {}, initialize);
    expect(opened.status).toBe(200);
    expect(JSON.parse(opened.body)).toEqual({ jsonrpc: '2.0', id: 1, result: fixture.handshake?.result });
    const session = opened.headers['mcp-session-id'] as string;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    const notified = await send(
      mock.url,
      'POST',
      { 'mcp-session-id': session },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
    );
    expect(notified.status).toBe(202);
    const listed = await send(
      mock.url,
      'POST',
      { 'mcp-session-id': session },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    );
    expect(JSON.parse(listed.body)).toEqual({ jsonrpc: '2.0', id: 2, result: { tools: [] } });
    expect((await send(mock.url, 'GET', { 'mcp-session-id': session })).status).toBe(405);
    expect((await send(mock.url, 'DELETE', { 'mcp-session-id': session })).status).toBe(200);
    const gone = await send(
      mock.url,
      'POST',
      { 'mcp-session-id': session },
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
    );
    expect(gone.status).toBe(404);
    expect(gone.body).toContain('initialize again');
  });

  it('answers sessionless requests, and a body that is not JSON with a parse error', async () => {
    const listed = await send(
      mock.url,
      'POST',
      {},
      { jsonrpc: '2.0', id: 'a', method: 'tools/list', params: { _meta: { x: 1 } } },
    );
    expect(JSON.parse(listed.body)).toEqual({ jsonrpc: '2.0', id: 'a', result: { tools: [] } });
    const broken = await new Promise<Answer>((resolve, reject) => {
      const req = request(
        mock.url,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.end('{not json');
    });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toMatchObject({ error: { code: -32700 } });
  });
});
