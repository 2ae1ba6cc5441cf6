// biome-ignore-all lint/suspicious/noTemplateCurlyInString: an agent tries to write mcp.json references, ${...} in plain strings
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
// Without roots: server-everything asks a client with roots for them after initialize, and an answer
// racing the client's close would add an error record these tests count exactly.
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';

/** The gateway's own MCP server, driven by the official SDK client as an agent would use it. */
describe('the management MCP server', () => {
  let everything: RunningEverything;
  let gw: TestGateway;
  let agent: Client;

  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await agent.callTool({ name, arguments: args })) as CallToolResult;
  const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

  beforeAll(async () => {
    everything = await startEverything();
    gw = await startTestGateway();
    agent = new Client({ name: 'agent', version: '1.0.0' });
    await agent.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/g/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } },
      }),
    );
  });

  afterAll(async () => {
    await agent?.close();
    await gw?.stop();
    await everything?.stop();
  });

  it('lists its tools, each with an output schema', async () => {
    const { tools } = await agent.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'add_fault',
      'add_intercept',
      'add_server',
      'clear_records',
      'diff_records',
      'get_record',
      'get_session',
      'get_stats',
      'get_tool_changes',
      'list_faults',
      'list_held_messages',
      'list_intercepts',
      'list_servers',
      'release_held_message',
      'remove_fault',
      'remove_intercept',
      'remove_server',
      'replay_record',
      'restart_server',
      'search_records',
      'update_server',
    ]);
    expect(tools.every((t) => t.outputSchema?.type === 'object' && (t.description?.length ?? 0) > 20)).toBe(
      true,
    );
  });

  it('adds a server, then finds the traffic a client sent through it', async () => {
    const added = await call('add_server', {
      name: 'everything',
      type: 'http',
      url: everything.url,
      headers: { 'X-Api-Key': 'secret-value-123456' },
    });
    expect(added.isError).toBeFalsy();
    const server = (added.structuredContent as { server: Record<string, unknown> }).server;
    expect(server).toMatchObject({
      name: 'everything',
      proxyUrl: gw.proxyUrl('everything'),
      health: { state: 'up' },
      config: { headers: { 'X-Api-Key': '****3456' } },
    });
    expect(text(added)).toContain(gw.proxyUrl('everything'));

    const client = await connectClient(gw.proxyUrl('everything'), 'investigated', HOST_WITHOUT_ROOTS);
    const sessionId = client.transport.sessionId as string;
    await client.client.callTool({ name: 'echo', arguments: { message: 'find me' } });
    await client.client.callTool({ name: 'missing-tool', arguments: {} });
    await client.close();
    await gw.gateway.flushCapture();

    const found = await call('search_records', { filter: 'find me', serverName: 'everything' });
    const records = (found.structuredContent as { records: { id: number; summary: string; kind: string }[] })
      .records;
    expect(records.map((r) => r.summary)).toEqual(['Echo: find me', 'echo(message: find me)']);
    expect(text(found)).toContain('echo(message: find me)');

    const failed = await call('search_records', { filter: 'has:error', sessionId, method: 'tools/call' });
    expect((failed.structuredContent as { records: unknown[] }).records).toHaveLength(1);

    const record = await call('get_record', { id: records[1]?.id });
    expect(record.structuredContent).toMatchObject({
      record: { message: { params: { name: 'echo' } } },
      partner: { kind: 'response', summary: 'Echo: find me' },
    });

    const session = await call('get_session', { sessionId });
    expect(session.structuredContent).toMatchObject({
      session: { sessionId, client: { name: 'investigated' }, errors: 1 },
    });
    expect((session.structuredContent as { timeline: { method: string }[] }).timeline[0]?.method).toBe(
      'initialize',
    );

    const stats = await call('get_stats', { filter: 'server:everything last:1h', groupBy: 'method' });
    expect(
      (stats.structuredContent as { groups: { method: string; errors: number }[] }).groups,
    ).toContainEqual(expect.objectContaining({ method: 'tools/call', errors: 1 }));
    expect(text(stats)).toContain('tools/call');
  });

  it('lists, updates, restarts and removes servers', async () => {
    const listed = await call('list_servers');
    expect((listed.structuredContent as { servers: { name: string }[] }).servers.map((s) => s.name)).toEqual([
      'everything',
    ]);

    const updated = await call('update_server', {
      name: 'everything',
      timeout: 60_000,
      headers: { 'X-Api-Key': '****3456' },
    });
    expect(updated.isError).toBeFalsy();
    expect(gw.gateway.registry.get('everything')).toMatchObject({
      timeout: 60_000,
      headers: { 'X-Api-Key': 'secret-value-123456' },
    });

    const restarted = await call('restart_server', { name: 'everything' });
    expect(restarted.structuredContent).toMatchObject({
      restarted: 'everything',
      server: { health: { state: 'up' } },
    });

    const removed = await call('remove_server', { name: 'everything' });
    expect(removed.structuredContent).toEqual({ removed: 'everything' });
    expect(gw.gateway.registry.names()).toEqual([]);
  });

  it('answers mistakes with isError results that say what to do', async () => {
    const typo = await call('search_records', { filter: 'methd:tools/call' });
    expect(typo.isError).toBe(true);
    expect(text(typo)).toContain('did you mean "method"?');
    const unknown = await call('get_record', { id: 999_999 });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('search_records');
    const badServer = await call('add_server', { name: 'Bad Name', type: 'http', url: 'http://x' });
    expect(badServer.isError).toBe(true);
    expect(text(badServer)).toContain('bad-name');
    const noServer = await call('remove_server', { name: 'ghost' });
    expect(noServer.isError).toBe(true);
    const unbounded = await call('clear_records');
    expect(unbounded.isError).toBe(true);
    expect(text(unbounded)).toContain('all: true');
  });

  it("never lets an agent write a reference that would send the owner's secrets or environment upstream", async () => {
    const planted = await call('add_server', {
      name: 'exfil',
      url: 'http://127.0.0.1:9/mcp',
      headers: { Authorization: 'Bearer ${secret:GITHUB_TOKEN}' },
    });
    expect(planted.isError).toBe(true);
    expect(text(planted)).toContain('headers.Authorization refers to a secret or an environment variable');
    const inUrl = await call('add_server', { name: 'exfil', url: 'http://127.0.0.1:9/${HOME}' });
    expect(inUrl.isError).toBe(true);
    expect(text(inUrl)).toContain('url refers to');
    expect(gw.gateway.registry.get('exfil')).toBeUndefined();
    expect((await call('add_server', { name: 'plain', url: 'http://127.0.0.1:9/mcp' })).isError).toBeFalsy();
    const changed = await call('update_server', {
      name: 'plain',
      headers: { 'X-Api-Key': '${env:AWS_SECRET_ACCESS_KEY}' },
    });
    expect(changed.isError).toBe(true);
    expect(text(changed)).toContain('headers.X-Api-Key refers to');
    expect(gw.gateway.registry.get('plain')).not.toHaveProperty('headers');
    await call('remove_server', { name: 'plain' });
  });

  it('clears records by filter', async () => {
    const cleared = await call('clear_records', { filter: 'method:tools/call' });
    expect((cleared.structuredContent as { deleted: number }).deleted).toBe(4);
    const left = await call('search_records', { filter: 'method:tools/call' });
    expect((left.structuredContent as { records: unknown[] }).records).toEqual([]);
  });

  it('refuses clients without the gateway token, in JSON-RPC', async () => {
    for (const path of ['/gateway/mcp', '/g/mcp']) {
      const response = await fetch(`${gw.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        jsonrpc: '2.0',
        error: { message: expect.stringContaining('token') },
      });
    }
  });
});
