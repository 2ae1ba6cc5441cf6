import { afterEach, describe, expect, it } from 'vitest';
import { TokenStore } from '../../src/auth/token-store.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { JSON_HEADERS, rpc } from '../helpers/http.js';
import { httpRequestFrom, OTHER_CLIENT } from '../helpers/local-address.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Request rates on the REST API and the gateway's MCP server: per token and per address. */
describe('API rate limits', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
  });

  const get = (from: string, path: string, token: string | null = TEST_TOKEN) =>
    httpRequestFrom(from, `${gw?.url}${path}`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });

  it('answers a token over --api-rate-limit 429 with Retry-After and when to retry, other tokens go on, then it recovers', async () => {
    gw = await startTestGateway({ apiRateLimit: '3/9s', apiRateLimitPerAddress: 'off' });
    const { value: ciToken } = new TokenStore(gw.storageDir).create({ name: 'ci-bot', role: 'viewer' });
    for (let i = 0; i < 3; i++) expect((await get('127.0.0.1', '/api/status')).status).toBe(200);
    const refused = await get('127.0.0.1', '/api/status');
    expect(refused.status).toBe(429);
    // One request comes back every 3 s: slow enough that a loaded machine cannot refill the bucket mid-test.
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    const { error } = JSON.parse(refused.body) as { error: string };
    expect(error).toContain('Too many requests for "owner"');
    expect(error).toContain('at most 3/9s per token (--api-rate-limit)');
    expect(error).toContain(`Retry after ${retryAfter} s`);

    // The gateway's MCP server counts against the same token, and answers in JSON-RPC.
    const mcp = await httpRequestFrom('127.0.0.1', `${gw.url}/gateway/mcp`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, authorization: `Bearer ${TEST_TOKEN}` },
      body: rpc('tools/list'),
    });
    expect(mcp.status).toBe(429);
    expect(Number(mcp.headers['retry-after'])).toBeLessThanOrEqual(3);
    expect(JSON.parse(mcp.body)).toMatchObject({
      jsonrpc: '2.0',
      error: { code: -32000, message: expect.stringContaining('--api-rate-limit') },
    });

    // Another token, from the same address, has its own allowance.
    expect((await get('127.0.0.1', '/api/status', ciToken)).status).toBe(200);

    await wait(retryAfter * 1000 + 100);
    expect((await get('127.0.0.1', '/api/status')).status).toBe(200);
    const status = JSON.parse((await get('127.0.0.1', '/api/status', ciToken)).body) as {
      limits: { settings: Record<string, unknown>; refused: Record<string, number> };
    };
    expect(status.limits.settings).toEqual({
      apiRateLimit: '3/9s',
      apiRateLimitPerAddress: 'off',
      // A gateway bound to loopback caps no client address unless told to.
      maxConnectionsPerClient: 0,
      maxSessionsPerClient: 0,
    });
    expect(status.limits.refused).toMatchObject({ apiToken: 2, apiAddress: 0 });
  });

  it('answers an address over --api-rate-limit-per-address 429 whatever token it sends, not another address', async () => {
    gw = await startTestGateway({ apiRateLimit: 'off', apiRateLimitPerAddress: '3/9s' });
    // Requests without a token count too: a flood of them is slowed like any other.
    for (let i = 0; i < 3; i++) expect((await get('127.0.0.1', '/api/status', null)).status).toBe(401);
    const refused = await get('127.0.0.1', '/api/status');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeLessThanOrEqual(3);
    expect(JSON.parse(refused.body).error).toContain(
      "Too many requests from 127.0.0.1: the gateway's API takes at most 3/9s from one address (--api-rate-limit-per-address)",
    );
    expect((await get(OTHER_CLIENT, '/api/status')).status).toBe(200);
    await wait(retryAfter * 1000 + 100);
    expect((await get('127.0.0.1', '/api/status')).status).toBe(200);
  });

  it('leaves the web UI and scripts room by default on a team gateway', async () => {
    // Bound beyond loopback, the default limits apply; 100 requests at once still pass them.
    gw = await startTestGateway({ host: '0.0.0.0' });
    const status = (await (await gw.api('/api/status')).json()) as { limits: { settings: unknown } };
    expect(status.limits.settings).toMatchObject({ apiRateLimit: '600/1m', maxSessionsPerClient: 64 });
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => get('127.0.0.1', '/api/status').then((r) => r.status)),
    );
    expect(responses.every((status) => status === 200)).toBe(true);
  });
});
