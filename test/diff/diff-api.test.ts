import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../src/auth/token-store.js';
import type { CapturedRecord } from '../../src/core/record.js';
import type { RecordsDiff } from '../../src/diff/record-diff.js';
import type { SessionsDiff } from '../../src/diff/session-diff.js';
import type { ToolChangesJson } from '../../src/diff/tool-changes.js';
import { apiJson } from '../helpers/api-json.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';

type Call = (client: Client) => Promise<unknown>;

/**
 * Comparing captured traffic through a real gateway: records and sessions of server-everything over HTTP
 * and stdio and of server-memory, through the REST API and the management MCP tool, within scopes.
 */
describe('GET /api/diff and diff_records', () => {
  let gw: TestGateway;
  let everything: RunningEverything;
  let memoryViewer: string;

  /** One session on `server` running `calls`; its session id. */
  const session = async (server: string, calls: Call[]): Promise<string> => {
    const connected = await connectClient(gw.proxyUrl(server), 'diff-client', HOST_WITHOUT_ROOTS);
    try {
      for (const call of calls) await call(connected.client);
      return connected.transport.sessionId as string;
    } finally {
      await connected.close();
      // Capture never holds up traffic: the session's last messages may still be on their way to the store.
      await gw.gateway.flushCapture();
    }
  };
  const echo =
    (message: string): Call =>
    (c) =>
      c.callTool({ name: 'echo', arguments: { message } });
  const callsOf = async (sessionId: string) =>
    gw.records(
      (r: CapturedRecord) => r.sessionId === sessionId && r.kind === 'request' && r.method === 'tools/call',
    );
  const as = (token: string, path: string) =>
    fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    everything = await startEverything();
    gw = await startTestGateway({
      healthInterval: 0,
      servers: {
        everything: { type: 'http', url: everything.url },
        local: stdioServers.everything(),
        memory: stdioServers.memory(join(mkdtempSync(join(tmpdir(), 'diff-memory-')), 'memory.jsonl')),
      },
    });
    memoryViewer = new TokenStore(gw.storageDir).create({
      name: 'memory-viewer',
      role: 'viewer',
      servers: ['memory'],
    }).value;
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
  });

  it('shows the changed argument of two calls over HTTP by its path, and the answers that differ', async () => {
    const sid = await session('everything', [echo('hi'), echo('bye'), (c) => c.listTools()]);
    const [first, second] = await callsOf(sid);
    // The tools listed over HTTP (an SSE answer) are the server's known list.
    expect(
      (await apiJson<ToolChangesJson>(gw, '/api/servers/everything/tool-changes')).current?.names,
    ).toContain('get-sum');
    const diff = await apiJson<RecordsDiff & { type: string }>(
      gw,
      `/api/diff?a=${first?.id}&b=${second?.id}`,
    );
    expect(diff.type).toBe('records');
    expect(diff.a.id).toBe(first?.id);
    expect((diff.b.message as { params: { arguments: unknown } }).params.arguments).toEqual({
      message: 'bye',
    });
    // The JSON-RPC id differs too, but it says nothing about the call: left out by default.
    expect(diff.ignore).toEqual(['/id']);
    expect(diff.message.entries).toEqual([
      { path: '/params/arguments/message', kind: 'changed', before: 'hi', after: 'bye' },
    ]);
    expect(diff.partners?.message.entries.map((e) => e.path)).toEqual(['/result/content/0/text']);

    const withIds = await apiJson<RecordsDiff>(gw, `/api/diff?a=${first?.id}&b=${second?.id}&ignoreId=false`);
    expect(withIds.message.entries.map((e) => e.path).sort()).toEqual(['/id', '/params/arguments/message']);
    const ignored = await apiJson<RecordsDiff>(
      gw,
      `/api/diff?a=${first?.id}&b=${second?.id}&ignore=/params/arguments/message&ignore=/result/content`,
    );
    expect(ignored.message.entries).toEqual([]);
    expect(ignored.partners?.message.entries).toEqual([]);
    // The same record twice is no mistake: nothing differs.
    const same = await apiJson<RecordsDiff>(gw, `/api/diff?a=${first?.id}&b=${first?.id}`);
    expect(same.message.entries).toEqual([]);
  });

  it('pairs two stdio sessions call by call: which differ, which are the same, which only one made', async () => {
    const a = await session('local', [echo('hi'), echo('same'), (c) => c.listTools()]);
    const b = await session('local', [(c) => c.listTools(), echo('bye'), echo('same'), echo('extra')]);
    const diff = await apiJson<SessionsDiff & { type: string }>(
      gw,
      `/api/diff?a=session:${a}&b=session:${b}`,
    );
    expect(diff.type).toBe('sessions');
    expect(diff.a.sessionId).toBe(a);
    const calls = diff.calls.filter((call) => call.method === 'tools/call');
    expect(calls.map((call) => call.status)).toEqual(['differs', 'same', 'only-b']);
    expect(calls[0]?.request?.entries).toEqual([
      { path: '/params/arguments/message', kind: 'changed', before: 'hi', after: 'bye' },
    ]);
    expect(calls[0]?.response?.entries.map((e) => e.path)).toEqual(['/result/content/0/text']);
    expect(calls[2]?.a).toBeNull();
    expect(calls[2]?.b?.request.summary).toContain('extra');
    // tools/list was called at different places in each, and pairs all the same: by method, then position.
    expect(diff.calls.find((call) => call.method === 'tools/list')?.status).toBe('same');
    expect(diff.totals.onlyB).toBe(1);
    // Listing the tools through a shared stdio process recorded the server's tool list.
    await gw.gateway.flushCapture();
    const tools = await apiJson<ToolChangesJson>(gw, '/api/servers/local/tool-changes');
    expect(tools.current?.names).toContain('echo');
    expect(tools.changes).toEqual([]);

    const narrowed = await apiJson<SessionsDiff>(
      gw,
      `/api/diff?a=session:${a}&b=session:${b}&filter=${encodeURIComponent('method:tools/list')}`,
    );
    expect(narrowed.calls.map((call) => call.method)).toEqual(['tools/list']);
  });

  it('compares two server-memory sessions that created different entities', async () => {
    const create =
      (name: string): Call =>
      (c) =>
        c.callTool({
          name: 'create_entities',
          arguments: { entities: [{ name, entityType: 'person', observations: ['diffed'] }] },
        });
    const a = await session('memory', [create('Ada')]);
    const b = await session('memory', [create('Grace')]);
    const diff = await apiJson<SessionsDiff>(
      gw,
      `/api/diff?a=session:${a}&b=session:${b}&filter=method:tools/call`,
    );
    expect(diff.calls).toHaveLength(1);
    expect(diff.calls[0]?.status).toBe('differs');
    expect(diff.calls[0]?.request?.entries).toContainEqual({
      path: '/params/arguments/entities/0/name',
      kind: 'changed',
      before: 'Ada',
      after: 'Grace',
    });
  });

  it('says what is wrong with a request, and how to narrow a session with too many calls', async () => {
    const problems: [string, number, string][] = [
      ['/api/diff', 400, 'Say what to compare'],
      ['/api/diff?a=abc&b=1', 400, 'must be a record id'],
      ['/api/diff?a=1&b=session:x', 400, 'not one with the other'],
      ['/api/diff?a=999999&b=1', 404, 'No record with id 999999'],
      ['/api/diff?a=session:nope&b=session:nope', 404, 'No session "nope"'],
      ['/api/diff?a=1&b=1&ignore=params', 400, 'JSON Pointers'],
      ['/api/diff?a=1&b=1&ignoreId=maybe', 400, '"ignoreId" must be'],
    ];
    for (const [path, status, message] of problems) {
      const body = await apiJson<{ error: string }>(gw, path, status);
      expect(body.error, path).toContain(message);
    }
    const busy = await session('everything', [
      ...Array.from({ length: 201 }, (): Call => (c) => c.ping()),
      echo('one'),
    ]);
    const refused = await apiJson<{ error: string }>(
      gw,
      `/api/diff?a=session:${busy}&b=session:${busy}`,
      400,
    );
    expect(refused.error).toContain('more than 200 calls');
    expect(refused.error).toContain('filter=');
    const narrowed = await apiJson<SessionsDiff>(
      gw,
      `/api/diff?a=session:${busy}&b=session:${busy}&filter=${encodeURIComponent('-method:ping')}`,
    );
    expect(narrowed.totals.same).toBe(narrowed.totals.calls);
  }, 60_000);

  it("keeps a scoped token to its own servers' records and sessions", async () => {
    const sid = await session('everything', [echo('secret one'), echo('secret two')]);
    const [first, second] = await callsOf(sid);
    const outside = await as(memoryViewer, `/api/diff?a=${first?.id}&b=${second?.id}`);
    expect(outside.status).toBe(404);
    expect(await outside.text()).not.toContain('secret');
    expect((await as(memoryViewer, `/api/diff?a=session:${sid}&b=session:${sid}`)).status).toBe(404);
    expect((await as(memoryViewer, '/api/servers/everything/tool-changes')).status).toBe(404);
    const mine = await gw.records((r) => r.server === 'memory' && r.kind === 'request');
    const inside = await as(memoryViewer, `/api/diff?a=${mine[0]?.id}&b=${mine[1]?.id}`);
    expect(inside.status).toBe(200);
    expect((await fetch(`${gw.url}/api/diff?a=1&b=1`)).status).toBe(401);
  });

  it('answers diff_records through the management MCP server, within the caller’s scope', async () => {
    const sid = await session('everything', [echo('left'), echo('right')]);
    const [first, second] = await callsOf(sid);
    const agent = async (token: string) => {
      const client = new Client({ name: 'diff-agent', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${gw.url}/gateway/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      return client;
    };
    const owner = await agent(TEST_TOKEN);
    try {
      const result = await owner.callTool({
        name: 'diff_records',
        arguments: { a: String(first?.id), b: String(second?.id) },
      });
      expect(result.isError).toBeFalsy();
      const structured = result.structuredContent as unknown as RecordsDiff;
      expect(structured.message.entries).toEqual([
        { path: '/params/arguments/message', kind: 'changed', before: 'left', after: 'right' },
      ]);
      expect(JSON.stringify(result.content)).toContain('/params/arguments/message');
      const sessions = await owner.callTool({
        name: 'diff_records',
        arguments: { a: `session:${sid}`, b: `session:${sid}`, filter: 'method:tools/call' },
      });
      expect((sessions.structuredContent as unknown as SessionsDiff).totals).toMatchObject({
        calls: 2,
        same: 2,
      });
    } finally {
      await owner.close();
    }
    const scoped = await agent(memoryViewer);
    try {
      const refused = await scoped.callTool({
        name: 'diff_records',
        arguments: { a: String(first?.id), b: String(second?.id) },
      });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toContain('No record with id');
    } finally {
      await scoped.close();
    }
  });
});
