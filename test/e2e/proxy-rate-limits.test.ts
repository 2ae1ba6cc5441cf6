import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { httpRequest, JSON_HEADERS, rpc } from '../helpers/http.js';
import { fetchFrom, OTHER_CLIENT } from '../helpers/local-address.js';
import { type ConnectedClient, connectClient } from '../helpers/mcp-client.js';
import { stdioServers, waitFor } from '../helpers/stdio.js';

const echo = (client: Client, text: string) =>
  client.callTool({ name: 'echo', arguments: { message: text } });

/** Calls echo until the gateway refuses one; returns that refusal (the SDK client's error). */
async function callUntilRefused(client: Client): Promise<Error & { code?: number }> {
  for (let i = 0; i < 20; i++) {
    try {
      await echo(client, `call ${i}`);
    } catch (error) {
      return error as Error & { code?: number };
    }
  }
  throw new Error('20 calls went through: no rate limit');
}

/** mcp.json rate limits on proxied servers, seen by the official SDK client, for HTTP and stdio servers. */
describe('proxy rate limits', () => {
  let everything: RunningEverything;
  let gw: TestGateway;
  const clients: ConnectedClient[] = [];
  const connect = async (server: string) => {
    const connected = await connectClient(gw.proxyUrl(server));
    clients.push(connected);
    return connected;
  };

  beforeAll(async () => {
    everything = await startEverything();
    gw = await startTestGateway({
      servers: {
        // One request back every 3 s: slow enough that a loaded machine cannot refill the bucket mid-test.
        limited: { type: 'http', url: everything.url, rateLimit: { requests: 3, per: '9s' } },
        'stdio-limited': stdioServers.everything({ rateLimit: { requests: 3, per: '9s' } }),
        perclient: { type: 'http', url: everything.url, clientRateLimit: { requests: 2, per: '20s' } },
        'legacy-limited': { type: 'http', url: everything.url, rateLimit: { requests: 2, per: '20s' } },
        reloaded: stdioServers.everything({ rateLimit: { requests: 2, per: '20s' } }),
        free: { type: 'http', url: everything.url },
      },
    });
  });

  afterAll(async () => {
    for (const connected of clients) await connected.close().catch(() => {});
    await gw?.stop();
    await everything?.stop();
  });

  for (const server of ['limited', 'stdio-limited']) {
    it(`${server}: over "rateLimit" the SDK client gets 429 and a JSON-RPC error saying when to retry, captured; it recovers after the wait`, async () => {
      const { client, transport } = await connect(server);
      const refusal = await callUntilRefused(client);
      // The SDK's Streamable HTTP transport reports the HTTP status and the body it got.
      expect(refusal.code).toBe(429);
      expect(refusal.message).toContain('"code":-32000');
      expect(refusal.message).toContain(`Server \\"${server}\\" gets more than 3/9s requests`);
      expect(refusal.message).toMatch(/Retry after [1-3] s/);

      // The same refusal on the wire: Retry-After, and a JSON-RPC error that echoes the request's id.
      const sessionHeaders = { ...JSON_HEADERS, 'mcp-session-id': transport.sessionId as string };
      const raw = await httpRequest(gw.proxyUrl(server), {
        method: 'POST',
        headers: sessionHeaders,
        body: rpc('tools/list', 'over-the-limit'),
      });
      expect(raw.status).toBe(429);
      const retryAfter = Number(raw.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(3);
      expect(JSON.parse(raw.body)).toMatchObject({
        jsonrpc: '2.0',
        id: 'over-the-limit',
        error: {
          code: -32000,
          message: expect.stringContaining(`Retry after ${retryAfter} s.`),
          data: { retryAfter },
        },
      });
      // Notifications are never held back, however empty the bucket.
      const notification = await httpRequest(gw.proxyUrl(server), {
        method: 'POST',
        headers: sessionHeaders,
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/roots/list_changed' }),
      });
      expect(notification.status).toBe(202);

      // Captured like any answer: the request, and the gateway's error paired with it.
      const records = await gw.records((r) => r.server === server);
      const answer = records.find((r) => r.jsonrpcId === 'over-the-limit' && r.kind === 'error');
      expect(answer).toMatchObject({ httpStatus: 429, errorCode: -32000, method: 'tools/list' });
      expect(answer?.errorMessage).toContain('"rateLimit" in mcp.json');
      const request = records.find((r) => r.jsonrpcId === 'over-the-limit' && r.kind === 'request');
      expect(answer?.partnerId).toBe(request?.id);
      expect(answer?.note).toContain('gateway');

      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
      const result = await echo(client, 'after the wait');
      expect(JSON.stringify(result.content)).toContain('after the wait');
    });
  }

  it('a client over "clientRateLimit" does not starve another client of the same server', async () => {
    const first = await connect('perclient');
    await echo(first.client, 'one');
    const refusal = await callUntilRefused(first.client);
    expect(refusal.code).toBe(429);
    expect(refusal.message).toContain(
      'Client 127.0.0.1 sends server \\"perclient\\" more than 2/20s requests',
    );

    // Another machine (another client address) has its own allowance.
    const other = new Client({ name: 'other-machine', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(gw.proxyUrl('perclient')), {
      fetch: fetchFrom(OTHER_CLIENT),
    });
    await other.connect(transport);
    try {
      const result = await echo(other, 'from elsewhere');
      expect(JSON.stringify(result.content)).toContain('from elsewhere');
    } finally {
      await transport.terminateSession().catch(() => {});
      await other.close();
    }
    // A server without limits is not touched by another's.
    const free = await connect('free');
    for (let i = 0; i < 5; i++) await echo(free.client, `free ${i}`);
  });

  it('limits clients of the legacy HTTP+SSE transport too, on their POSTs', async () => {
    const client = new Client({ name: 'legacy-client', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(`${gw.url}/s/legacy-limited/sse`)));
    try {
      const refusal = await callUntilRefused(client);
      expect(refusal.message).toContain('HTTP 429');
      expect(refusal.message).toContain('Server \\"legacy-limited\\" gets more than 2/20s requests');
      const records = await gw.records((r) => r.server === 'legacy-limited' && r.httpStatus === 429);
      expect(records.map((r) => r.kind)).toContain('error');
    } finally {
      await client.close();
    }
  });

  it('takes an mcp.json edit at once (no restart), and refuses a bad value with a clear error, keeping the last good one', async () => {
    const file = join(gw.storageDir, 'mcp.json');
    const document = JSON.parse(readFileSync(file, 'utf8'));
    const first = await connect('reloaded');
    const refused = await callUntilRefused(first.client);
    expect(refused.code).toBe(429);

    document.mcpServers.reloaded.rateLimit = { requests: 0, per: '1 minute' };
    writeFileSync(file, JSON.stringify(document), { mode: 0o600 });
    await waitFor('the registry error', () =>
      gw.messages.find((m) => m.includes('rateLimit.requests must be at least 1')),
    );
    expect(gw.messages.join('\n')).toContain('rateLimit.per must be a period such as "2s", "1m" or "1h"');
    await expect(echo(first.client, 'still limited')).rejects.toMatchObject({ code: 429 });

    document.mcpServers.reloaded.rateLimit = { requests: 1000, per: '1m' };
    writeFileSync(file, JSON.stringify(document), { mode: 0o600 });
    await waitFor('the reload', () => gw.messages.find((m) => m.includes('server updated: reloaded')));
    // The same session goes on: the server process was not restarted for a rate limit.
    const result = await echo(first.client, 'raised');
    expect(JSON.stringify(result.content)).toContain('raised');
  });

  it('validates limits registered over the API like those in mcp.json', async () => {
    const bad = await gw.api('/api/servers/config', {
      method: 'POST',
      body: JSON.stringify({
        name: 'bad',
        type: 'http',
        url: everything.url,
        rateLimit: { requests: 5, per: 'soon' },
      }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain(
      'rateLimit.per must be a period such as "2s", "1m" or "1h"',
    );
    await gw.register('api-limited', {
      type: 'http',
      url: everything.url,
      rateLimit: { requests: 1, per: '1m' },
    });
    const first = await httpRequest(gw.proxyUrl('api-limited'), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: rpc('ping', 1),
    });
    expect(first.status).not.toBe(429);
    const second = await httpRequest(gw.proxyUrl('api-limited'), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: rpc('ping', 2),
    });
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(50);
  });

  it('counts refusals in GET /api/status', async () => {
    const status = (await (await gw.api('/api/status')).json()) as {
      limits: { refused: Record<string, number> };
    };
    expect(status.limits.refused.serverRate).toBeGreaterThanOrEqual(3);
    expect(status.limits.refused.clientRate).toBeGreaterThanOrEqual(1);
  });
});
