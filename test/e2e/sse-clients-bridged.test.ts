import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { stdioServers } from '../helpers/stdio.js';

async function connectSse(url: string): Promise<Client> {
  const client = new Client({ name: 'old-sse-client', version: '0.1.0' });
  await client.connect(new SSEClientTransport(new URL(url)));
  return client;
}

/** Clients that speak only HTTP+SSE (MCP 2024-11-05) reach Streamable HTTP and stdio servers too. */
describe('legacy SSE clients of servers that do not speak HTTP+SSE', () => {
  let everything: RunningEverything;
  let gw: TestGateway;

  beforeAll(async () => {
    everything = await startEverything();
    gw = await startTestGateway({
      healthInterval: 0,
      servers: { remote: { type: 'http', url: everything.url }, local: stdioServers.everything() },
    });
  });

  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
  });

  it.each(['remote', 'local'])('serves /s/%s/sse, and the traffic is captured once', async (name) => {
    const client = await connectSse(`${gw.url}/s/${name}/sse`);
    try {
      expect(client.getServerVersion()?.name).toBe('mcp-servers/everything');
      const result = await client.callTool({ name: 'echo', arguments: { message: `old client, ${name}` } });
      expect(result.content).toEqual([{ type: 'text', text: `Echo: old client, ${name}` }]);
      const unknown = await client.callTool({ name: 'no-such-tool', arguments: {} });
      expect(unknown.isError).toBe(true);
    } finally {
      await client.close();
    }
    const records = await gw.records((r) => r.server === name && r.method === 'tools/call');
    const calls = records.filter((r) => r.summary === `echo(message: old client, ${name})`);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.clientName).toBe('old-sse-client');
    if (name === 'remote') {
      // Requests after initialize name the version it agreed (Streamable HTTP, "Protocol Version Header").
      expect(calls[0]?.requestHeaders?.['mcp-protocol-version']).toMatch(/^20\d\d-\d\d-\d\d$/);
    }
    const answer = records.find((r) => r.partnerId === calls[0]?.id);
    expect(answer?.summary).toBe(`Echo: old client, ${name}`);
  });

  it('answers a POST for a stream that is gone with 404', async () => {
    const response = await fetch(`${gw.url}/s/remote/message?sessionId=nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'Session not found',
    );
  });
});
