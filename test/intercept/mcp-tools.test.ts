import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { type ConnectedClient, connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';

/** An agent sets a breakpoint through the gateway's own MCP server and releases what it holds. */
describe('breakpoint tools of the management MCP server', () => {
  let gw: TestGateway;
  let agent: Client;
  let client: ConnectedClient;

  beforeAll(async () => {
    gw = await startTestGateway({ healthInterval: 0, servers: { local: stdioServers.everything() } });
    agent = new Client({ name: 'agent', version: '1.0.0' });
    await agent.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/gateway/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } },
      }),
    );
    client = await connectClient(gw.proxyUrl('local'), 'held-client', HOST_WITHOUT_ROOTS);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await agent?.close();
    await gw?.stop();
  });

  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await agent.callTool({ name, arguments: args })) as CallToolResult;

  it('sets a rule, lists what it holds, forwards it edited and removes the rule', async () => {
    const added = await call('add_intercept', { filter: 'tool:echo', onTimeout: 'fail' });
    expect(added.isError).toBeFalsy();
    const ruleId = (added.structuredContent as { rule: { id: string } }).rule.id;
    expect(((await call('list_intercepts')).structuredContent as { rules: unknown[] }).rules.length).toBe(1);

    const answer = client.client.callTool({ name: 'echo', arguments: { message: 'from the client' } });
    let held: { id: number; message: Record<string, unknown> }[] = [];
    for (let i = 0; i < 200 && held.length === 0; i++) {
      held = (await call('list_held_messages')).structuredContent?.held as typeof held;
      if (held.length === 0) await new Promise((r) => setTimeout(r, 25));
    }
    const [first] = held;
    expect(first?.message.params).toMatchObject({ arguments: { message: 'from the client' } });
    const edited = { ...first?.message, params: { name: 'echo', arguments: { message: 'from the agent' } } };
    const released = await call('release_held_message', {
      id: first?.id,
      action: 'forward',
      message: edited,
    });
    expect(released.isError).toBeFalsy();
    expect(((await answer) as CallToolResult).content[0]).toMatchObject({ text: 'Echo: from the agent' });

    const bad = await call('add_intercept', { filter: 'last:5m tool:echo' });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain('last cannot be used in a rule');
    expect((await call('remove_intercept', { id: ruleId })).isError).toBeFalsy();
    expect(((await call('list_intercepts')).structuredContent as { rules: unknown[] }).rules.length).toBe(0);
  });
});
