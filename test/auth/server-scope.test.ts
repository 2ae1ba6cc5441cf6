import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/api/live-events.js';
import type { RecordJson } from '../../src/core/record.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { openFeed } from '../helpers/sse-client.js';
import { as, startTwoServers, type TwoServers, type Who } from './two-servers.js';

type Json = Record<string, unknown>;

/** A token limited to "beta" sees beta's traffic everywhere, and nothing of alpha's, not even its name. */
describe('server scope over real traffic from two servers', () => {
  let context: TwoServers;
  let alphaRecord: number;
  const get = async <T = Json>(who: Who, path: string): Promise<T> => {
    const response = await as(context, who, path);
    expect(response.status, `${who} ${path}`).toBe(200);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    context = await startTwoServers();
    const page = await get<{ data: RecordJson[] }>('owner', '/api/logs?server=alpha&limit=1');
    alphaRecord = page.data[0]?.id as number;
  }, 60_000);
  afterAll(async () => {
    await context?.gw.stop();
  });

  it('lists, counts and searches only its servers’ records, whatever filter it sends', async () => {
    const all = await get<{ data: RecordJson[] }>('owner', '/api/logs?limit=1000');
    expect(new Set(all.data.map((r) => r.server))).toEqual(new Set(['alpha', 'beta']));
    for (const filter of ['', 'server:alpha', '-server:beta', 'hello', 'server:alpha,beta']) {
      const page = await get<{ data: RecordJson[] }>(
        'betaViewer',
        `/api/logs?limit=1000&filter=${encodeURIComponent(filter)}`,
      );
      expect(
        page.data.every((r) => r.server === 'beta'),
        filter,
      ).toBe(true);
    }
    const mine = await get<{ data: RecordJson[] }>('betaViewer', '/api/logs?limit=1000');
    expect(mine.data.length).toBe(all.data.filter((r) => r.server === 'beta').length);
    expect(await get('betaViewer', '/api/logs/count?filter=server:alpha')).toEqual({ count: 0 });
    const hello = await get<{ data: RecordJson[] }>('betaViewer', '/api/logs?q=hello');
    expect(hello.data.map((r) => JSON.stringify(r.message)).join()).not.toContain('hello alpha');
  });

  it('answers another server’s record and session as not found', async () => {
    expect((await as(context, 'viewer', `/api/logs/${alphaRecord}`)).status).toBe(200);
    expect((await as(context, 'betaViewer', `/api/logs/${alphaRecord}`)).status).toBe(404);
    const alpha = context.sessions.alpha;
    expect((await as(context, 'viewer', `/api/sessions/${alpha}`)).status).toBe(200);
    expect((await as(context, 'betaViewer', `/api/sessions/${alpha}`)).status).toBe(404);
    expect((await as(context, 'betaViewer', `/api/sessions/${context.sessions.beta}`)).status).toBe(200);
    const sessions = await get<{ data: { server: string }[] }>('betaViewer', '/api/sessions');
    expect(sessions.data.map((s) => s.server)).toEqual(['beta']);
    const other = await get<{ data: unknown[] }>('betaViewer', '/api/sessions?server=alpha');
    expect(other.data).toEqual([]);
  });

  it('counts only its servers in stats, clients, methods, servers, status and autocomplete, and no process-wide counters', async () => {
    const stats = await get<{ groups: { server: string }[] }>('betaViewer', '/api/stats?groupBy=server');
    expect(stats.groups.map((g) => g.server)).toEqual(['beta']);
    const clients = await get<{ data: { name: string; servers: string[] }[] }>('betaViewer', '/api/clients');
    expect(clients.data.map((c) => c.name)).toEqual(['beta-client']);
    const methods = await get<{ data: { server: string }[] }>('betaViewer', '/api/methods');
    expect(new Set(methods.data.map((m) => m.server))).toEqual(new Set(['beta']));
    const servers = await get<{ data: { name: string }[] }>('betaViewer', '/api/servers');
    expect(servers.data.map((s) => s.name)).toEqual(['beta']);
    const config = await get<{ servers: { name: string }[] }>('betaViewer', '/api/servers/config');
    expect(config.servers.map((s) => s.name)).toEqual(['beta']);
    expect((await get<{ servers: number }>('betaViewer', '/api/status')).servers).toBe(1);
    // The process's counters span both servers: the owner sees them, a beta viewer sees beta's store only.
    type Status = { capture: unknown; limits: unknown; records: Record<string, number | null> };
    const owner = await get<Status>('owner', '/api/status');
    expect(owner.records.captured).toBeGreaterThan(0);
    expect(owner.capture).not.toBeNull();
    const scoped = await get<Status>('betaViewer', '/api/status');
    expect(scoped).toMatchObject({ capture: null, limits: null, registryError: null });
    expect(scoped.records).toMatchObject({ captured: null, stored: null, failed: null, dropped: null });
    const betaCount = await get<{ count: number }>('owner', '/api/logs/count?filter=server:beta');
    expect(scoped.records.inStore).toBe(betaCount.count);
    expect(owner.records.inStore).toBeGreaterThan(betaCount.count);
    const values = await get<{ values: string[] }>('betaViewer', '/api/filter/values?field=server');
    expect(values.values).toEqual(['beta']);
    const clientValues = await get<{ values: string[] }>('betaViewer', '/api/filter/values?field=client');
    expect(clientValues.values).toEqual(['beta-client']);
  });

  it('exports only its servers’ records', async () => {
    const text = await (await as(context, 'betaViewer', '/api/logs/export')).text();
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RecordJson);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((r) => r.server === 'beta')).toBe(true);
  });

  it('lets a scoped operator act on its servers only, and import and clear only their records', async () => {
    expect((await as(context, 'betaOperator', '/api/servers/alpha/restart', { method: 'POST' })).status).toBe(
      404,
    );
    const add = await as(context, 'betaOperator', '/api/servers/config', {
      method: 'POST',
      body: JSON.stringify({ name: 'elsewhere', type: 'http', url: 'http://127.0.0.1:9/mcp' }),
    });
    expect(add.status).toBe(403);
    expect(((await add.json()) as { error: string }).error).toContain('only act on the servers beta');
    // Taken names outside the scope get the same answer: no "already exists" to learn them by.
    const taken = await as(context, 'betaOperator', '/api/servers/config', {
      method: 'POST',
      body: JSON.stringify({ name: 'gamma', type: 'http', url: 'http://127.0.0.1:9/mcp' }),
    });
    expect(taken.status).toBe(403);
    const remove = await as(context, 'betaOperator', '/api/servers/config/alpha', { method: 'DELETE' });
    expect(remove.status).toBe(404);
    const line = (
      await (await as(context, 'owner', `/api/logs/export?filter=id:${alphaRecord}`)).text()
    ).trim();
    const imported = await as(context, 'betaOperator', '/api/logs/import', { method: 'POST', body: line });
    expect(imported.status).toBe(400);
    expect(((await imported.json()) as { error: string }).error).toContain('outside this token');
    const before = await get<{ count: number }>('owner', '/api/logs/count?filter=server:alpha');
    const cleared = await as(context, 'betaOperator', '/api/logs/clear', {
      method: 'POST',
      body: '{"filter":"server:alpha"}',
    });
    expect(await cleared.json()).toEqual({ deleted: 0 });
    expect(await get('owner', '/api/logs/count?filter=server:alpha')).toEqual(before);
  });

  it('sends a scoped live feed only its servers’ records and events', async () => {
    const feed = await openFeed(`${context.gw.url}/api/events`, context.tokens.betaViewer);
    const everything = await openFeed(`${context.gw.url}/api/events`, context.tokens.viewer);
    try {
      for (const server of ['alpha', 'beta'] as const) {
        const client = await connectClient(context.gw.proxyUrl(server), `${server}-live`, HOST_WITHOUT_ROOTS);
        await client.client.callTool({ name: 'echo', arguments: { message: `live ${server}` } });
        await client.close();
      }
      const records = (event: LiveEvent) => (event.type === 'records' ? event.records : []);
      await everything.waitFor(
        (e) => records(e).some((r) => r.server === 'alpha' && r.summary.includes('live alpha')),
        10_000,
      );
      await feed.waitFor(
        (e) => records(e).some((r) => r.server === 'beta' && r.summary.includes('live beta')),
        10_000,
      );
      // alpha's records were in the store before beta's last ones; the feed has read past them.
      expect(feed.events.flatMap(records).filter((r) => r.server !== 'beta')).toEqual([]);
      await as(context, 'owner', '/api/servers/gamma/health-check', { method: 'POST' });
      await as(context, 'owner', '/api/servers/config', {
        method: 'POST',
        body: JSON.stringify({ name: 'delta', type: 'http', url: 'http://127.0.0.1:9/mcp' }),
      });
      await everything.waitFor((e) => e.type === 'servers-changed' && e.added.includes('delta'), 10_000);
      const named = JSON.stringify(feed.events);
      expect(named).not.toContain('alpha');
      expect(named).not.toContain('gamma');
      expect(named).not.toContain('delta');
    } finally {
      feed.close();
      everything.close();
    }
  }, 30_000);

  it('tells only admins of commands waiting for approval', async () => {
    const viewer = await openFeed(`${context.gw.url}/api/events`, context.tokens.viewer);
    const admin = await openFeed(`${context.gw.url}/api/events`, context.tokens.admin);
    const agent = new Client({ name: 'asking-agent', version: '1.0.0' });
    try {
      await agent.connect(
        new StreamableHTTPClientTransport(new URL(`${context.gw.url}/gateway/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${context.tokens.owner}` } },
        }),
      );
      const held = await agent.callTool({
        name: 'add_server',
        arguments: { name: 'held', command: process.execPath, args: ['--version'] },
      });
      expect(JSON.stringify(held.structuredContent)).toContain('awaiting-approval');
      await admin.waitFor((e) => e.type === 'approvals-changed' && e.pending.includes('held'), 10_000);
      // Both feeds were sent the same broadcasts in the same order; the viewer's has had time to get it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(viewer.events.filter((e) => e.type === 'approvals-changed')).toEqual([]);
      expect((await as(context, 'viewer', '/api/servers/pending')).status).toBe(403);
      // An admin limited to beta neither sees nor decides a launch of another name.
      const betaAdmin = context.store.create({ name: 'beta-admin', role: 'admin', servers: ['beta'] }).value;
      const asBetaAdmin = (path: string, method = 'GET') =>
        fetch(`${context.gw.url}${path}`, { method, headers: { authorization: `Bearer ${betaAdmin}` } });
      expect(await (await asBetaAdmin('/api/servers/pending')).json()).toEqual({ data: [] });
      const approve = await asBetaAdmin('/api/servers/pending/held/approve', 'POST');
      expect(approve.status).toBe(404);
      expect(await approve.text()).toContain('awaiting: (none)');
      const listed = (await (await as(context, 'admin', '/api/servers/pending')).json()) as {
        data: { name: string }[];
      };
      expect(listed.data.map((p) => p.name)).toEqual(['held']);
    } finally {
      await agent.close();
      viewer.close();
      admin.close();
    }
  });

  it('scopes the management MCP server’s tools the same way', async () => {
    const client = new Client({ name: 'scoped-agent', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${context.gw.url}/gateway/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${context.tokens.betaViewer}` } },
      }),
    );
    try {
      const servers = (await client.callTool({ name: 'list_servers', arguments: {} })).structuredContent as {
        servers: { name: string }[];
      };
      expect(servers.servers.map((s) => s.name)).toEqual(['beta']);
      const found = (await client.callTool({ name: 'search_records', arguments: { limit: 200 } }))
        .structuredContent as { records: { server: string }[] };
      expect(found.records.length).toBeGreaterThan(0);
      expect(found.records.every((r) => r.server === 'beta')).toBe(true);
      const record = await client.callTool({ name: 'get_record', arguments: { id: alphaRecord } });
      expect(record.isError).toBe(true);
      const session = await client.callTool({
        name: 'get_session',
        arguments: { sessionId: context.sessions.alpha },
      });
      expect(session.isError).toBe(true);
      const stats = (await client.callTool({ name: 'get_stats', arguments: { groupBy: 'server' } }))
        .structuredContent as { groups: { server: string }[] };
      expect(stats.groups.map((g) => g.server)).toEqual(['beta']);
    } finally {
      await client.close();
    }
  });
});
