import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../src/auth/token-store.js';
import type { ToolChangesJson } from '../../src/diff/tool-changes.js';
import { apiJson } from '../helpers/api-json.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { drifty } from './drifty-server.js';

describe('tool-list drift', () => {
  const storageDir = mkdtempSync(join(tmpdir(), 'tool-drift-store-'));
  const server = drifty(mkdtempSync(join(tmpdir(), 'tool-drift-')), [
    { name: 'echo', description: 'Echoes a message', args: ['message'] },
    { name: 'add', description: 'Adds two numbers', args: ['a', 'b'] },
  ]);
  const servers = { drifty: server.entry };
  const tools = server.setTools;
  let gw: TestGateway;
  /** A client session that lists the tools, as every client does after initialize. */
  const listOnce = async () => {
    const connected = await connectClient(gw.proxyUrl('drifty'), 'drift-client', HOST_WITHOUT_ROOTS);
    try {
      return (await connected.client.listTools()).tools.map((t) => t.name);
    } finally {
      await connected.close();
    }
  };
  const history = async () => {
    await gw.gateway.flushCapture();
    return apiJson<ToolChangesJson>(gw, '/api/servers/drifty/tool-changes');
  };

  beforeAll(async () => {
    gw = await startTestGateway({ storageDir, healthInterval: 0, servers });
  }, 30_000);
  afterAll(async () => {
    await gw?.stop();
  });

  it('records nothing for the first list, then the tools added, removed and changed in the next session', async () => {
    expect(await listOnce()).toEqual(['echo', 'add']);
    const first = await history();
    expect(first.current?.names).toEqual(['add', 'echo']);
    expect(first.changes).toEqual([]);
    // The same list again is no change.
    await listOnce();
    expect((await history()).changes).toEqual([]);

    tools([
      { name: 'echo', description: 'Echoes a message, loudly', args: ['message', 'volume'] },
      { name: 'multiply', description: 'Multiplies', args: ['a', 'b'] },
    ]);
    expect(await listOnce()).toEqual(['echo', 'multiply']);
    const { changes, current } = await history();
    expect(current?.names).toEqual(['echo', 'multiply']);
    expect(changes).toHaveLength(1);
    const change = changes[0];
    expect(change).toMatchObject({ server: 'drifty', added: 1, removed: 1, changed: 1, truncated: false });
    expect(change?.tools.map((t) => [t.kind, t.name])).toEqual([
      ['removed', 'add'],
      ['changed', 'echo'],
      ['added', 'multiply'],
    ]);
    const echo = change?.tools.find((t) => t.name === 'echo');
    const paths = echo?.diff?.entries.map((e) => e.path) ?? [];
    expect(paths).toContain('/description');
    expect(paths).toContain('/inputSchema/properties/volume');
    expect(echo?.diff?.entries.find((e) => e.path === '/description')).toMatchObject({
      before: 'Echoes a message',
      after: 'Echoes a message, loudly',
    });
    // The change points at the answer that showed it.
    const answer = (await gw.records((r) => r.id === change?.recordId))[0];
    expect(answer?.method).toBe('tools/list');
    expect(answer?.kind).toBe('response');
  }, 60_000);

  it('compares against the last known list after a restart, and tells live views', async () => {
    await gw.stop();
    gw = await startTestGateway({ storageDir, healthInterval: 0, servers });
    // The list is as it was before the restart: nothing new.
    await listOnce();
    expect((await history()).changes).toHaveLength(1);

    const controller = new AbortController();
    /** Everything a live feed sends `token`, read until `until` appears or the feed is aborted. */
    const follow = async (token: string, until: string) => {
      const feed = await fetch(`${gw.url}/api/events?activity=true`, {
        headers: { authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
      const reader = feed.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
      const seen = { text: '' };
      const done = (async () => {
        while (!seen.text.includes(until)) {
          const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
          if (done) break;
          seen.text += new TextDecoder().decode(value);
        }
      })();
      return { seen, done };
    };
    // A token that may see only another server hears nothing of this one's tools.
    const elsewhere = new TokenStore(gw.storageDir).create({
      name: 'elsewhere',
      role: 'viewer',
      servers: ['other'],
    });
    const owner = await follow(TEST_TOKEN, 'event: tool-changes');
    const scoped = await follow(elsewhere.value, 'event: tool-changes');
    tools([
      { name: 'echo', description: 'Echoes a message, loudly', args: ['message', 'volume'] },
      { name: 'multiply', description: 'Multiplies', args: ['a', 'b'] },
      { name: 'divide', description: 'Divides', args: ['a', 'b'] },
    ]);
    await listOnce();
    await Promise.race([owner.done, new Promise((r) => setTimeout(r, 10_000))]);
    await new Promise((r) => setTimeout(r, 500));
    controller.abort();
    await scoped.done;
    expect(owner.seen.text).toContain('event: tool-changes');
    expect(owner.seen.text).toContain('"server":"drifty"');
    expect(scoped.seen.text).toContain('event: hello');
    expect(scoped.seen.text).not.toContain('tool-changes');
    const { changes } = await history();
    expect(changes).toHaveLength(2);
    expect(changes[0]?.tools.map((t) => [t.kind, t.name])).toEqual([['added', 'divide']]);
  }, 60_000);

  it('answers get_tool_changes through the management MCP server', async () => {
    const client = new Client({ name: 'drift-agent', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/gateway/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } },
      }),
    );
    try {
      const result = await client.callTool({ name: 'get_tool_changes', arguments: { serverName: 'drifty' } });
      expect(result.isError).toBeFalsy();
      const structured = result.structuredContent as unknown as ToolChangesJson;
      expect(structured.changes.map((c) => c.added)).toEqual([1, 1]);
      expect(JSON.stringify(result.content)).toContain('added divide');
      const unknown = await client.callTool({ name: 'get_tool_changes', arguments: { serverName: 'nope' } });
      expect(unknown.isError).toBe(true);
      expect((unknown.content as { text: string }[])[0]?.text).toContain('No server named "nope"');
    } finally {
      await client.close();
    }
  });
});
