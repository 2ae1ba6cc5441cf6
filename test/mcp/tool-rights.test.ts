import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { TOOL_RIGHTS } from '../../src/mcp/tool-rights.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';

const READ_TOOLS = [
  'diff_records',
  'get_record',
  'get_session',
  'get_stats',
  'get_tool_changes',
  'list_faults',
  'list_intercepts',
  'list_servers',
  'search_records',
];
const WRITE_TOOLS = [
  'add_fault',
  'add_intercept',
  'add_server',
  'clear_records',
  'list_held_messages',
  'release_held_message',
  'remove_fault',
  'remove_intercept',
  'remove_server',
  'replay_record',
  'restart_server',
  'update_server',
];

/** The management MCP server through the official SDK client, with a token of each role. */
describe('management MCP tools by role', () => {
  let gw: TestGateway;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    gw = await startTestGateway({
      healthInterval: 0,
      servers: { gamma: { type: 'http', url: 'http://127.0.0.1:9/mcp' } },
    });
    const store = new TokenStore(gw.storageDir);
    for (const role of ['viewer', 'operator', 'admin'] as Role[]) {
      tokens[role] = store.create({ name: `mcp-${role}`, role }).value;
    }
    tokens.owner = TEST_TOKEN;
  });
  afterAll(async () => {
    await gw?.stop();
  });

  const connect = async (token: string) => {
    const client = new Client({ name: 'role-agent', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/gateway/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    return client;
  };
  const toolNames = async (token: string) => {
    const client = await connect(token);
    try {
      return (await client.listTools()).tools.map((t) => t.name).sort();
    } finally {
      await client.close();
    }
  };

  it('lists every tool the server has in the rights table', async () => {
    expect(await toolNames(tokens.owner as string)).toEqual(Object.keys(TOOL_RIGHTS).sort());
  });

  it('offers a viewer only the read tools, an operator and an admin all of them', async () => {
    expect(await toolNames(tokens.viewer as string)).toEqual(READ_TOOLS);
    expect(await toolNames(tokens.operator as string)).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    expect(await toolNames(tokens.admin as string)).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    // Its instructions point it only at the tools it has.
    const viewer = await connect(tokens.viewer as string);
    try {
      expect(viewer.getInstructions()).not.toContain('add_server');
      expect(viewer.getInstructions()).toContain('operator role');
    } finally {
      await viewer.close();
    }
  });

  it('refuses a viewer that calls a write tool anyway, naming the role it needs', async () => {
    const client = await connect(tokens.viewer as string);
    try {
      for (const [name, args] of [
        ['restart_server', { name: 'gamma' }],
        ['remove_server', { name: 'gamma' }],
        ['clear_records', { all: true }],
        ['add_server', { name: 'sneaky', url: 'http://127.0.0.1:9/mcp' }],
      ] as const) {
        const result = await client.callTool({ name, arguments: args });
        expect(result.isError, name).toBe(true);
        expect(JSON.stringify(result.content), name).toContain('needs the operator role');
      }
      expect(gw.gateway.registry.names()).toEqual(['gamma']);
      const reads = await client.callTool({ name: 'list_servers', arguments: {} });
      expect(reads.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it('lets an operator use the write tools', async () => {
    const client = await connect(tokens.operator as string);
    try {
      const restarted = await client.callTool({ name: 'restart_server', arguments: { name: 'gamma' } });
      expect(restarted.isError).toBeFalsy();
      const cleared = await client.callTool({ name: 'clear_records', arguments: { filter: 'id:0' } });
      expect(cleared.structuredContent).toEqual({ deleted: 0 });
    } finally {
      await client.close();
    }
  });

  it('keeps a management session to the token that opened it', async () => {
    const client = await connect(tokens.viewer as string);
    try {
      const transport = client.transport as StreamableHTTPClientTransport;
      const stolen = await fetch(`${gw.url}/gateway/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens.operator}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': transport.sessionId as string,
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
      });
      expect(stolen.status).toBe(404);
    } finally {
      await client.close();
    }
  });
});
