import { describe, expect, it } from 'vitest';
import { clientConfigs, connectArgs } from '../../ui/src/client-configs.js';

const http = {
  name: 'everything',
  type: 'http' as const,
  proxyUrl: 'http://localhost:3333/s/everything/mcp',
  config: { type: 'http', url: 'http://localhost:3001/mcp' },
};

const byId = (configs: ReturnType<typeof clientConfigs>) => Object.fromEntries(configs.map((c) => [c.id, c]));

describe('client configurations', () => {
  it('points HTTP clients at the proxy URL, in the forms the README gives', () => {
    const configs = byId(clientConfigs(http));
    expect(configs['claude-code']?.text).toBe(
      'claude mcp add --transport http everything http://localhost:3333/s/everything/mcp',
    );
    expect(JSON.parse(configs.cursor?.text ?? '')).toEqual({
      mcpServers: { everything: { url: http.proxyUrl } },
    });
    expect(JSON.parse(configs.vscode?.text ?? '')).toEqual({
      servers: { everything: { type: 'http', url: http.proxyUrl } },
    });
    expect(configs.typescript?.text).toContain(
      `new StreamableHTTPClientTransport(new URL('${http.proxyUrl}'))`,
    );
    expect(configs.python?.text).toContain(`streamablehttp_client("${http.proxyUrl}")`);
    expect(configs['claude-desktop-wrap']).toBeUndefined();
  });

  it('under --proxy-auth, carries a gateway token in X-MCP-Gateway-Token in every form', () => {
    const configs = byId(clientConfigs(http, null, 'mcp-gateway', true));
    const headers = { 'X-MCP-Gateway-Token': '<gateway token>' };
    expect(configs['claude-code']?.text).toBe(
      'claude mcp add --transport http everything http://localhost:3333/s/everything/mcp --header "X-MCP-Gateway-Token: <gateway token>"',
    );
    expect(JSON.parse(configs.cursor?.text ?? '')).toEqual({
      mcpServers: { everything: { url: http.proxyUrl, headers } },
    });
    expect(JSON.parse(configs.vscode?.text ?? '')).toEqual({
      servers: { everything: { type: 'http', url: http.proxyUrl, headers } },
    });
    expect(JSON.parse(configs['claude-desktop']?.text ?? '')).toEqual({
      mcpServers: {
        everything: {
          command: 'mcp-gateway',
          args: ['connect', 'everything'],
          env: { MCP_GATEWAY_TOKEN: '<gateway token>' },
        },
      },
    });
    expect(configs.typescript?.text).toContain(
      "{ requestInit: { headers: { 'X-MCP-Gateway-Token': '<gateway token>' } } }",
    );
    expect(configs.python?.text).toContain('headers={"X-MCP-Gateway-Token": "<gateway token>"}');
    expect(configs.cursor?.note).toContain('This gateway runs with --proxy-auth');
  });

  it('gives Claude Desktop mcp-gateway connect, telling it where the gateway listens when not on 3333', () => {
    expect(connectArgs('a', 'http://localhost:3333/s/a/mcp')).toEqual(['connect', 'a']);
    expect(connectArgs('a', 'http://127.0.0.1:4000/s/a/mcp')).toEqual(['connect', 'a', '--port', '4000']);
    // --port means plain http: a gateway serving TLS is named by its https origin.
    expect(connectArgs('a', 'https://localhost:3333/s/a/mcp')).toEqual([
      'connect',
      'a',
      '--url',
      'https://localhost:3333',
    ]);
    expect(connectArgs('a', 'http://gateway.lan:3333/s/a/mcp')).toEqual([
      'connect',
      'a',
      '--url',
      'http://gateway.lan:3333',
    ]);
    const desktop = byId(clientConfigs(http))['claude-desktop'];
    expect(JSON.parse(desktop?.text ?? '')).toEqual({
      mcpServers: { everything: { command: 'mcp-gateway', args: ['connect', 'everything'] } },
    });
  });

  it('offers wrap for a stdio server, with its command, and placeholders for masked secrets', () => {
    const stdio = {
      name: 'memory',
      type: 'stdio' as const,
      proxyUrl: 'http://localhost:3333/s/memory/mcp',
      config: {
        type: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory'],
        env: { API_KEY: '****wxyz', MODE: 'fast' },
      },
    };
    const wrap = byId(clientConfigs(stdio, '/srv/gateway/mcp.json'))['claude-desktop-wrap'];
    expect(JSON.parse(wrap?.text ?? '')).toEqual({
      mcpServers: {
        memory: {
          command: 'mcp-gateway',
          args: [
            'wrap',
            '--name',
            'memory',
            '--storage-dir',
            '/srv/gateway',
            '--',
            'npx',
            '-y',
            '@modelcontextprotocol/server-memory',
          ],
          env: { API_KEY: '<your API_KEY>', MODE: 'fast' },
        },
      },
    });
    const home = byId(clientConfigs(stdio, '/home/me/.mcp-gateway/mcp.json'))['claude-desktop-wrap'];
    expect(home?.text).not.toContain('--storage-dir');
  });
});
