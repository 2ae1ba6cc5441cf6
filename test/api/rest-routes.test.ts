import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordJson } from '../../src/core/record.js';
import { apiJson } from '../helpers/api-json.js';
import { everythingBehindGateway } from '../helpers/everything-gateway.js';
// Without roots: server-everything asks a client with roots for them after initialize, and an answer
// racing the client's close would add an error record these tests count exactly.
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';

type Page = {
  data: RecordJson[];
  pagination: { count: number; hasMore: boolean; nextCursor: string | null };
};

/** The query API over traffic the SDK client really sent through the gateway to server-everything. */
describe('REST API over captured traffic', () => {
  const context = everythingBehindGateway();
  let sessionId: string;

  beforeAll(async () => {
    const client = await connectClient(context.gw.proxyUrl('everything'), 'rest-client', HOST_WITHOUT_ROOTS);
    sessionId = client.transport.sessionId as string;
    await client.client.listTools();
    await client.client.callTool({ name: 'echo', arguments: { message: 'needle: a/b "quoted"' } });
    await client.client.callTool({ name: 'get-sum', arguments: { a: 20, b: 22 } });
    await client.client.callTool({ name: 'no-such-tool', arguments: {} });
    await client.close();
    await context.gw.gateway.flushCapture();
  });

  it('lists records newest first with the filter language', async () => {
    const page = await apiJson<Page>(context.gw, '/api/logs?filter=method:tools/call kind:request');
    expect(page.data.map((r) => r.summary)).toEqual([
      'no-such-tool()',
      'get-sum(a: 20, b: 22)',
      'echo(message: needle: a/b "quoted")',
    ]);
    expect(page.pagination).toMatchObject({ count: 3, hasMore: false, nextCursor: null });
  });

  it('finds free text with any characters the user types', async () => {
    for (const text of ['needle', 'needle: a/b', '"a/b \\"quoted\\""', 'NEEDLE']) {
      const page = await apiJson<Page>(context.gw, `/api/logs?filter=${encodeURIComponent(text)}`);
      expect(page.data.length, text).toBeGreaterThanOrEqual(2);
      expect(
        page.data.every((r) => JSON.stringify(r.message).includes('needle')),
        text,
      ).toBe(true);
    }
    const none = await apiJson<Page>(context.gw, `/api/logs?q=${encodeURIComponent('OR AND NOT * ( "')}`);
    expect(none.data).toEqual([]);
  });

  it('takes the query parameters other log tools use', async () => {
    const page = await apiJson<Page>(
      context.gw,
      `/api/logs?server=everything&session=${sessionId}&method=tools/call&q=needle&durationGt=0&order=asc`,
    );
    expect(page.data.map((r) => r.kind)).toEqual(['response']);
    const bad = await apiJson<{ error: string; parameter: string }>(
      context.gw,
      '/api/logs?durationGt=soon',
      400,
    );
    expect(bad.parameter).toBe('durationGt');
    expect(bad.error).toContain('duration');
  });

  it('counts a tool result with isError as an error', async () => {
    const page = await apiJson<Page>(context.gw, '/api/logs?filter=has:error');
    expect(page.data.map((r) => r.summary)).toEqual([expect.stringContaining('tool error')]);
    expect(page.data[0]?.error?.message).toContain('no-such-tool');
  });

  it('answers a bad filter with 400, the position and a suggestion', async () => {
    const body = await apiJson(
      context.gw,
      `/api/logs?filter=${encodeURIComponent('server:everything methd:x')}`,
      400,
    );
    expect(body).toEqual({
      error: 'unknown field "methd": did you mean "method"?',
      position: 18,
      length: 5,
      suggestion: 'method',
    });
    await apiJson(context.gw, '/api/logs?limit=0', 400);
    await apiJson(context.gw, '/api/logs?order=sideways', 400);
  });

  it('returns one record with its partner, and 404 for unknown ids', async () => {
    const [call] = (
      await apiJson<Page>(context.gw, '/api/logs?filter=method:tools/call kind:request&limit=1')
    ).data;
    const record = await apiJson<RecordJson & { partner: RecordJson }>(context.gw, `/api/logs/${call?.id}`);
    expect(record.partner.kind).toBe('response');
    expect(record.partner.partnerId).toBe(call?.id);
    const back = await apiJson<RecordJson & { partner: RecordJson }>(
      context.gw,
      `/api/logs/${record.partner.id}`,
    );
    expect(back.partner.id).toBe(call?.id);
    await apiJson(context.gw, '/api/logs/999999', 404);
    await apiJson(context.gw, '/api/logs/abc', 400);
  });

  it('lists sessions and shows one session as a timeline', async () => {
    const sessions = await apiJson<{ data: Record<string, unknown>[] }>(
      context.gw,
      '/api/sessions?server=everything',
    );
    const session = sessions.data.find((s) => s.sessionId === sessionId);
    expect(session).toMatchObject({
      server: 'everything',
      client: { name: 'rest-client', version: '1.2.3' },
      upstream: { name: 'mcp-servers/everything' },
      protocolVersion: expect.any(String),
      errors: 1,
    });
    const detail = await apiJson<Page & { session: { messages: number } }>(
      context.gw,
      `/api/sessions/${sessionId}`,
    );
    expect(detail.data[0]?.method).toBe('initialize');
    expect(detail.data.map((r) => r.id)).toEqual([...detail.data.map((r) => r.id)].sort((a, b) => a - b));
    expect(detail.session.messages).toBe(detail.data.filter((r) => r.sessionId === sessionId).length);
    // The same timeline as rows: every record, without message and headers.
    const rows = await apiJson<Page>(context.gw, `/api/sessions/${sessionId}?fields=summary`);
    expect(rows.data.map((r) => [r.id, r.summary])).toEqual(detail.data.map((r) => [r.id, r.summary]));
    expect(rows.data.every((r) => !('message' in r) && !('headers' in r))).toBe(true);
    await apiJson(context.gw, '/api/sessions/nope', 404);
  });

  it('summarizes clients, methods and servers', async () => {
    const clients = await apiJson<{ data: { name: string; servers: string[] }[] }>(
      context.gw,
      '/api/clients',
    );
    expect(clients.data).toContainEqual(
      expect.objectContaining({ name: 'rest-client', servers: ['everything'] }),
    );
    const methods = await apiJson<{ data: { method: string; requests: number; errors: number }[] }>(
      context.gw,
      '/api/methods?server=everything',
    );
    expect(methods.data.find((m) => m.method === 'tools/call')).toMatchObject({ requests: 3, errors: 1 });
    const servers = await apiJson<{ data: Record<string, unknown>[] }>(context.gw, '/api/servers');
    expect(servers.data[0]).toMatchObject({
      name: 'everything',
      type: 'http',
      proxyUrl: context.gw.proxyUrl('everything'),
      health: { state: 'up' },
      sessions: expect.any(Number),
      errors: 1,
      lastActivity: expect.any(String),
    });
    await apiJson(context.gw, '/api/servers/nope', 404);
  });

  it('computes stats per server and method with percentiles and a series', async () => {
    const stats = await apiJson<{
      totals: { requests: number; errors: number };
      groups: { method: string; requests: number; errors: number; errorRate: number; p50Ms: number }[];
      series: { start: number }[];
      bucketMs: number;
    }>(context.gw, '/api/stats?filter=last:1h&bucket=1m');
    expect(stats.bucketMs).toBe(60_000);
    expect(stats.series.length).toBeGreaterThanOrEqual(60);
    const calls = stats.groups.find((g) => g.method === 'tools/call');
    expect(calls).toMatchObject({ requests: 3, errors: 1 });
    expect(calls?.errorRate).toBeCloseTo(1 / 3);
    expect(calls?.p50Ms).toBeGreaterThan(0);
    await apiJson(context.gw, '/api/stats?bucket=1ms', 400);
    await apiJson(context.gw, '/api/stats?groupBy=planet', 400);
  });

  it('describes the filter language and autocompletes values', async () => {
    const language = await apiJson<{ fields: { name: string; help: string }[] }>(
      context.gw,
      '/api/filter/fields',
    );
    expect(language.fields.map((f) => f.name)).toContain('method');
    expect(language.fields.every((f) => f.help.length > 10)).toBe(true);
    const values = await apiJson<{ values: string[] }>(
      context.gw,
      '/api/filter/values?field=method&prefix=tools/',
    );
    expect(values.values).toEqual(expect.arrayContaining(['tools/call', 'tools/list']));
    const kinds = await apiJson<{ values: string[] }>(context.gw, '/api/filter/values?field=kind&prefix=re');
    expect(kinds.values).toEqual(['request', 'response']);
    const check = await apiJson<{ position: number }>(
      context.gw,
      '/api/filter/check?filter=kind:reqest',
      400,
    );
    expect(check.position).toBe(5);
  });

  it('refuses requests without the token', async () => {
    const response = await fetch(`${context.gw.url}/api/logs`);
    expect(response.status).toBe(401);
  });

  it('counts what a filter matches, as a delete of it would remove', async () => {
    const count = (filter: string) =>
      apiJson<{ count: number }>(context.gw, `/api/logs/count?filter=${encodeURIComponent(filter)}`);
    expect(await count('method:tools/call kind:request')).toEqual({ count: 3 });
    expect(await count('"needle: a/b"')).toEqual({ count: 2 });
    const all = await apiJson<Page>(context.gw, '/api/logs?limit=1000');
    expect(await count('')).toEqual({ count: all.data.length });
    await apiJson(context.gw, '/api/logs/count?filter=methd:x', 400);
  });

  it('deletes by filter, and only with a filter or all=true', async () => {
    await apiJson(context.gw, '/api/logs', 400, { method: 'DELETE' });
    const deleted = await apiJson<{ deleted: number }>(
      context.gw,
      '/api/logs?filter=method:tools/list',
      200,
      {
        method: 'DELETE',
      },
    );
    expect(deleted.deleted).toBe(2);
    const left = await apiJson<Page>(context.gw, '/api/logs?filter=method:tools/list');
    expect(left.data).toEqual([]);
    const cleared = await apiJson<{ deleted: number }>(context.gw, '/api/logs/clear', 200, {
      method: 'POST',
      body: JSON.stringify({ server: 'everything' }),
    });
    expect(cleared.deleted).toBeGreaterThan(5);
    expect((await apiJson<Page>(context.gw, '/api/logs')).data).toEqual([]);
    expect((await apiJson<{ data: unknown[] }>(context.gw, '/api/sessions')).data).toEqual([]);
  });
});
