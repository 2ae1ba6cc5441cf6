import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startupBanner } from '../../src/cli/banner.js';
import { apiJson } from '../helpers/api-json.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { everythingCommand } from '../helpers/stdio.js';

const QUERY_KEY = 'qk-live-1234567890abcd';
const URL_PASSWORD = 'pw-9876543210wxyz';
const FLAG_TOKEN = 'tok-secret-abcdef123';
const SPACED_KEY = 'KEYVALUE123456789';
const GITHUB = `ghp_${'Z9y8X7w6V5'.repeat(4)}`;
const ENV_TOKEN = 'env-token-value-0000';
const STDERR_SECRET = `ghp_${'S1t2D3e4R5'.repeat(4)}`;
const SECRETS = [QUERY_KEY, URL_PASSWORD, FLAG_TOKEN, SPACED_KEY, GITHUB, ENV_TOKEN];

/**
 * Secrets written into a server's configuration (URL query, userinfo, flags, args, env) are masked
 * wherever the configuration is shown, and a masked value sent back keeps the secret.
 */
describe('secrets in server configuration are masked wherever it is shown', () => {
  let everything: RunningEverything;
  let gw: TestGateway;
  let upstreamUrl: string;

  beforeAll(async () => {
    everything = await startEverything();
    const url = new URL(everything.url);
    upstreamUrl = `http://user:${URL_PASSWORD}@${url.host}/mcp?api_key=${QUERY_KEY}&mode=fast`;
    gw = await startTestGateway({
      servers: {
        remote: { type: 'http', url: upstreamUrl },
        local: {
          type: 'stdio',
          command: everythingCommand.command,
          args: [...everythingCommand.args, `--token=${FLAG_TOKEN}`, '--api-key', SPACED_KEY, GITHUB],
          env: { GITHUB_TOKEN: ENV_TOKEN, DEBUG: 'mcp' },
        },
        // Not an MCP server: a process that prints a credential on stderr, as a chatty server may.
        leaky: {
          type: 'stdio',
          command: process.execPath,
          args: [
            '-e',
            `process.stderr.write('connecting with ${STDERR_SECRET}\\n'); setInterval(() => {}, 1000);`,
          ],
        },
      },
    });
  });
  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
  });

  const expectNoSecret = (text: string, where: string) => {
    for (const secret of SECRETS) expect(text, `${where} shows ${secret}`).not.toContain(secret);
  };

  it('masks them in the config API, the servers API, the banner and the terminal lines', async () => {
    const config = await apiJson<{ servers: Record<string, unknown>[] }>(gw, '/api/servers/config');
    expectNoSecret(JSON.stringify(config), 'GET /api/servers/config');
    const remote = config.servers.find((s) => s.name === 'remote');
    const local = config.servers.find((s) => s.name === 'local');
    expect(remote?.url).toBe(
      `http://user:****wxyz@${new URL(everything.url).host}/mcp?api_key=****abcd&mode=fast`,
    );
    expect(local?.args).toEqual([
      ...everythingCommand.args,
      '--token=****f123',
      '--api-key',
      '****6789',
      `****${GITHUB.slice(-4)}`,
    ]);
    expect(local?.env).toEqual({ GITHUB_TOKEN: '****0000', DEBUG: 'mcp' });

    expectNoSecret(JSON.stringify(await apiJson(gw, '/api/servers')), 'GET /api/servers');

    const banner = startupBanner(gw.gateway);
    expectNoSecret(banner, 'the startup banner');
    expect(banner).toContain('api_key=****abcd');
    expect(banner).toMatch(/Redaction\s+on/);
    expectNoSecret(gw.messages.join('\n'), 'the terminal');
    expect(gw.messages.join('\n')).toContain('--token=****f123');
  });

  it('masks them in the management MCP tools', async () => {
    const agent = new Client({ name: 'agent', version: '1.0.0' });
    await agent.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/g/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } },
      }),
    );
    try {
      const listed = (await agent.callTool({ name: 'list_servers', arguments: {} })) as CallToolResult;
      expect(listed.isError).toBeFalsy();
      expectNoSecret(JSON.stringify(listed), 'list_servers');
    } finally {
      await agent.close();
    }
  });

  it('keeps the secrets when the masked config is sent back, and the proxy still reaches the server', async () => {
    const config = await apiJson<{ servers: Record<string, unknown>[] }>(gw, '/api/servers/config');
    for (const name of ['remote', 'local']) {
      const {
        name: _name,
        proxyUrl: _proxyUrl,
        ...entry
      } = config.servers.find((s) => s.name === name) ?? {};
      await apiJson(gw, `/api/servers/config/${name}`, 200, {
        method: 'PUT',
        body: JSON.stringify({ ...entry, timeout: 60_000 }),
      });
    }
    const stored = JSON.parse(readFileSync(join(gw.storageDir, 'mcp.json'), 'utf8'));
    expect(stored.mcpServers.remote.url).toBe(upstreamUrl);
    expect(stored.mcpServers.remote.timeout).toBe(60_000);
    expect(stored.mcpServers.local.args.slice(-4)).toEqual([
      `--token=${FLAG_TOKEN}`,
      '--api-key',
      SPACED_KEY,
      GITHUB,
    ]);
    expect(stored.mcpServers.local.env.GITHUB_TOKEN).toBe(ENV_TOKEN);

    const client = await connectClient(gw.proxyUrl('remote'));
    const tools = await client.client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('echo');
    await client.close();
  });

  it("redacts a stdio server's stderr as shown by the API, as its captured records are", async () => {
    await expect
      .poll(async () => JSON.stringify(await apiJson(gw, '/api/servers/leaky/stderr')), { timeout: 10_000 })
      .toContain('connecting with [REDACTED:github_token]');
    expect(JSON.stringify(await apiJson(gw, '/api/servers/leaky/stderr'))).not.toContain(STDERR_SECRET);
    const stored = await gw.records((r) => r.server === 'leaky');
    expect(JSON.stringify(stored)).toContain('[REDACTED:github_token]');
    expect(JSON.stringify(stored)).not.toContain(STDERR_SECRET);
  });
});
