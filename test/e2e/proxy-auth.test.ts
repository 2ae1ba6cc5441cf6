import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../src/auth/token-store.js';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { cliCommand } from '../helpers/stdio.js';

/** The environment of a client app that launches commands, without this test run's gateway settings. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('MCP_GATEWAY_')) env[name] = value;
  }
  return env;
}

const PING = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });

/** `--proxy-auth`: the proxy URLs need a gateway token, carried beside the upstream's own Authorization. */
describe('--proxy-auth', () => {
  let upstream: SdkServer;
  let other: SdkServer;
  let gw: TestGateway;
  let scoped: string;

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
    other = await startSdkServer({ json: true });
    gw = await startTestGateway({
      proxyAuth: true,
      healthInterval: 0,
      servers: { sdk: { type: 'http', url: upstream.url }, other: { type: 'http', url: other.url } },
    });
    scoped = new TokenStore(gw.storageDir).create({
      name: 'ci-agent',
      role: 'viewer',
      servers: ['sdk'],
    }).value;
  });

  afterAll(async () => {
    await gw?.stop();
    await upstream?.stop();
    await other?.stop();
  });

  async function connect(name: string, headers: Record<string, string>): Promise<Client> {
    const client = new Client({ name: 'proxy-auth-client', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(gw.proxyUrl(name)), { requestInit: { headers } }),
    );
    return client;
  }

  const post = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: PING,
    });

  it('refuses a client without the token: 401, a JSON-RPC error that says how to send it', async () => {
    await expect(connect('sdk', {})).rejects.toThrow(/X-MCP-Gateway-Token/);
    const response = await post('/s/sdk/mcp');
    expect(response.status).toBe(401);
    // No WWW-Authenticate: that would send MCP clients into the upstream's OAuth flow.
    expect(response.headers.get('www-authenticate')).toBeNull();
    const body = (await response.json()) as { error: { code: number; message: string } };
    expect(body.error.message).toContain('Send the gateway token in the X-MCP-Gateway-Token header');
    expect(body.error.message).toContain('not Authorization, which goes to the server');
    expect(upstream.received).toHaveLength(0);
  });

  it('guards the legacy HTTP+SSE endpoints too', async () => {
    const stream = await fetch(`${gw.url}/s/sdk/sse`, { headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(401);
    const message = await post('/s/sdk/message?sessionId=x');
    expect(message.status).toBe(401);
  });

  it('lets the owner token through; the upstream gets its own Authorization untouched and never the gateway token', async () => {
    const client = await connect('sdk', {
      'X-MCP-Gateway-Token': TEST_TOKEN,
      Authorization: 'Bearer upstream-api-key-123',
    });
    const result = await client.callTool({ name: 'echo', arguments: { message: 'authorized' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: authorized' }]);
    await client.close();
    expect(upstream.received.length).toBeGreaterThan(0);
    for (const { headers } of upstream.received) {
      expect(headers.authorization).toBe('Bearer upstream-api-key-123');
      expect(headers['x-mcp-gateway-token']).toBeUndefined();
    }
    const records = await gw.records((r) => r.server === 'sdk');
    expect(records.length).toBeGreaterThan(0);
    expect(JSON.stringify(records)).not.toContain(TEST_TOKEN);
  });

  it('takes a named token for the servers in its scope only (403 for another)', async () => {
    const client = await connect('sdk', { 'X-MCP-Gateway-Token': scoped });
    const result = await client.callTool({ name: 'echo', arguments: { message: 'scoped' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: scoped' }]);
    await client.close();
    const refused = await post('/s/other/mcp', { 'x-mcp-gateway-token': scoped });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      'Token "ci-agent" may not use server "other" (it is limited to sdk). Use a token whose --servers include it, or the owner token.',
    );
    expect(other.received).toHaveLength(0);
  });

  // Two CLI processes start here: slow on a busy machine.
  it('lets `mcp-gateway connect` (Claude Desktop and other command-only clients) send MCP_GATEWAY_TOKEN', async () => {
    const { command, args } = cliCommand('connect', 'sdk', '--url', gw.url);
    const withToken = new Client({ name: 'desktop-app', version: '1.0.0' });
    await withToken.connect(
      new StdioClientTransport({
        command,
        args,
        env: { ...cleanEnv(), MCP_GATEWAY_TOKEN: scoped },
        stderr: 'pipe',
      }),
    );
    const result = await withToken.callTool({ name: 'echo', arguments: { message: 'from connect' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: from connect' }]);
    await withToken.close();
    const without = new Client({ name: 'desktop-app', version: '1.0.0' });
    await expect(
      without.connect(new StdioClientTransport({ command, args, env: cleanEnv(), stderr: 'pipe' })),
    ).rejects.toThrow(/X-MCP-Gateway-Token/);
    await without.close();
  }, 90_000);

  it('counts wrong tokens against the same limit as the API: 429 with Retry-After', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) last = await post('/s/sdk/mcp', { 'x-mcp-gateway-token': `wrong-${i}` });
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    // The address is paused everywhere, the REST API included, or guesses could move from one to the other.
    expect((await gw.api('/api/status')).status).toBe(429);
  });
});
