import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { stdioServers } from '../helpers/stdio.js';
import { trustingFetch } from '../helpers/trusted-fetch.js';

interface ReplayAnswer {
  replay: { request: { id: number; sessionId: string | null; replayOf: number | null } | null };
  session: { mode: string; id: string | null };
  diff: { entries: unknown[] };
}

/**
 * The loopback leg carries what the proxy asks of every client (HTTPS with the gateway's own certificate,
 * the --proxy-auth token), and a replay may go on the original client's session while it is open.
 */
describe('replay over HTTPS with --proxy-auth, on a new or the original session', () => {
  let gw: TestGateway;
  let fetchTls: typeof fetch;

  beforeAll(async () => {
    gw = await startTestGateway({
      tls: 'self-signed',
      proxyAuth: true,
      healthInterval: 0,
      servers: { everything: stdioServers.everything() },
    });
    fetchTls = trustingFetch(gw.gateway.tls?.cert ?? '');
  }, 60_000);

  afterAll(async () => gw?.stop());

  const replay = (id: number, body: unknown = {}) =>
    fetchTls(`${gw.url}/api/logs/${id}/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('replays on a session of its own, and on the original one until that ends (then 409)', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(gw.proxyUrl('everything')), {
      fetch: fetchTls,
      requestInit: { headers: { 'x-mcp-gateway-token': TEST_TOKEN } },
    });
    const client = new Client({ name: 'tls-client', version: '1.0.0' });
    await client.connect(transport);
    await client.callTool({ name: 'echo', arguments: { message: 'over https' } });
    const [original] = await gw.records((r) => r.method === 'tools/call' && r.kind === 'request');
    if (!original) throw new Error('the call was not captured');

    const fresh = await replay(original.id);
    expect(fresh.status).toBe(200);
    const freshAnswer = (await fresh.json()) as ReplayAnswer;
    expect(freshAnswer.session.mode).toBe('new');
    expect(freshAnswer.replay.request?.sessionId).not.toBe(original.sessionId);
    expect(freshAnswer.diff.entries).toEqual([]);

    const same = await replay(original.id, { session: 'original' });
    expect(same.status).toBe(200);
    const sameAnswer = (await same.json()) as ReplayAnswer;
    expect(sameAnswer.replay.request).toMatchObject({ sessionId: original.sessionId, replayOf: original.id });
    expect(sameAnswer.diff.entries).toEqual([]);

    await transport.terminateSession();
    await client.close();
    const ended = await replay(original.id, { session: 'original' });
    expect(ended.status).toBe(409);
    expect(((await ended.json()) as { error: string }).error).toMatch(
      /has ended.*without "session": "original"/,
    );
  });

  it('refuses an unknown option with what it takes', async () => {
    const [original] = await gw.records((r) => r.method === 'tools/call' && r.kind === 'request');
    const response = await replay(original?.id ?? 1, { sesion: 'original' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/Unknown field\(s\) "sesion"/);
  });
});
