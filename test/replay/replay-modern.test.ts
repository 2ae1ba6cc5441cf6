import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startV2Server, type V2Server } from '../fixtures/sdk-v2-server.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { v2StdioServer } from '../helpers/stdio.js';

const MODERN = '2026-07-28';

interface ReplayAnswer {
  replay: {
    request: { replayOf: number | null; message: { params: { _meta: Record<string, unknown> } } } | null;
    response: { replayOf: number | null; kind: string } | null;
  };
  diff: { entries: { path: string }[] };
  session: { protocolVersion: string | null };
}

/**
 * MCP 2026-07-28 has no initialize: the replay carries the original's version and capabilities in the
 * request's `_meta`, with the replay named as the client, over the HTTP proxy and a stdio server alike.
 */
describe.each([
  ['the HTTP proxy', 'http'],
  ['a stdio server', 'stdio'],
] as const)('replaying a 2026-07-28 request through %s', (_label, path) => {
  let gw: TestGateway;
  let upstream: V2Server | undefined;

  beforeAll(async () => {
    if (path === 'http') upstream = await startV2Server('reject');
    const entry = upstream ? { type: 'http', url: upstream.url } : v2StdioServer('reject');
    gw = await startTestGateway({ servers: { modern: entry } });
  }, 60_000);

  afterAll(async () => {
    await gw?.stop();
    await upstream?.stop();
  });

  it('sends it with the per-request metadata and the replay as its client', async () => {
    const client = new Client(
      { name: 'modern-app', version: '3.0.0' },
      { versionNegotiation: { mode: { pin: MODERN } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(gw.proxyUrl('modern'))));
    await client.callTool({ name: 'echo', arguments: { message: 'sessionless' } });
    await client.close();
    const [original] = await gw.records((r) => r.method === 'tools/call' && r.kind === 'request');
    if (!original) throw new Error('the call was not captured');

    const response = await gw.api(`/api/logs/${original.id}/replay`, { method: 'POST' });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as ReplayAnswer;
    expect(answer.session.protocolVersion).toBe(MODERN);
    const meta = answer.replay.request?.message.params._meta ?? {};
    expect(meta['io.modelcontextprotocol/protocolVersion']).toBe(MODERN);
    expect(meta['io.modelcontextprotocol/clientInfo']).toMatchObject({ name: 'mcp-gateway replay' });
    expect(answer.replay.response).toMatchObject({ replayOf: original.id, kind: 'response' });
    expect(answer.diff.entries.filter((e) => e.path.startsWith('/result/content'))).toEqual([]);
    // The replay made no handshake of its own.
    const initializes = await gw.records(
      (r) => r.method === 'initialize' && r.message.includes('mcp-gateway replay'),
    );
    expect(initializes).toEqual([]);
  });
});
