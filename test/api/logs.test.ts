import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordJson } from '../../src/core/record.js';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';

interface Page {
  data: RecordJson[];
  pagination: { count: number; limit: number; hasMore: boolean; nextCursor: string | null };
}

describe('REST: /api/logs', () => {
  let gw: TestGateway;
  let upstream: SdkServer;
  let sessionId: string;

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
    gw = await startTestGateway({
      servers: { one: { type: 'http', url: upstream.url }, two: { type: 'http', url: upstream.url } },
    });
    const a = await connectClient(gw.proxyUrl('one'));
    for (let i = 0; i < 12; i++) await a.client.callTool({ name: 'echo', arguments: { message: `m${i}` } });
    sessionId = a.transport.sessionId as string;
    await a.close();
    const b = await connectClient(gw.proxyUrl('two'));
    await b.client.listTools();
    await b.close();
    await gw.gateway.flushCapture();
  });

  afterAll(async () => {
    await gw?.stop();
    await upstream?.stop();
  });

  const page = async (query: string) => {
    const response = await gw.api(`/api/logs?${query}`);
    return { status: response.status, body: (await response.json()) as Page & { error?: string } };
  };

  it('pages newest first by keyset cursor, with no gaps or repeats', async () => {
    const seen: number[] = [];
    let cursor = '';
    for (;;) {
      const { body } = await page(`server=one&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...body.data.map((r) => r.id));
      expect(body.pagination.count).toBe(body.data.length);
      if (!body.pagination.hasMore) break;
      cursor = body.pagination.nextCursor as string;
    }
    const all = await gw.records((r) => r.server === 'one');
    expect(seen).toEqual(all.map((r) => r.id).reverse());
  });

  it('filters by server, session and method, and orders oldest first on request', async () => {
    const { body } = await page(`session=${sessionId}&method=tools/call&order=asc&limit=1000`);
    expect(body.data).toHaveLength(24);
    expect(body.data.every((r) => r.sessionId === sessionId && r.method === 'tools/call')).toBe(true);
    expect(body.data[0]?.id).toBeLessThan(body.data[1]?.id as number);
    expect(body.data[0]?.message).toMatchObject({
      method: 'tools/call',
      params: { arguments: { message: 'm0' } },
    });
    const two = await page('server=two');
    expect(two.body.data.every((r) => r.server === 'two')).toBe(true);
    expect(two.body.data.some((r) => r.summary.match(/tools: echo/))).toBe(true);
  });

  it('leaves message and headers out with fields=summary, for lists of rows', async () => {
    const full = await page('server=one&limit=4');
    const rows = await page('server=one&limit=4&fields=summary');
    expect(rows.body.data.map((r) => r.id)).toEqual(full.body.data.map((r) => r.id));
    for (const [index, row] of rows.body.data.entries()) {
      const { message, headers, ...summary } = full.body.data[index] as RecordJson;
      expect(message).toBeTruthy();
      expect(headers).toBeTypeOf('object');
      expect(row).toEqual(summary);
    }
    const bad = await page('fields=everything');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('"fields" must be "all" or "summary"');
  });

  it('serves one record by id with its partner, and 404 for an unknown one', async () => {
    const { body } = await page('limit=1&filter=kind:response');
    const one = await gw.api(`/api/logs/${body.data[0]?.id}`);
    expect(await one.json()).toEqual({
      ...body.data[0],
      partner: expect.objectContaining({ id: body.data[0]?.partnerId }),
    });
    expect((await gw.api('/api/logs/999999')).status).toBe(404);
  });

  it.each([
    ['limit=0', '"limit" must be a whole number from 1 to 1000'],
    ['limit=1001', '"limit" must be a whole number from 1 to 1000'],
    ['order=sideways', '"order" must be "asc" or "desc"'],
    ['cursor=abc', '"cursor" must be a whole number'],
  ])('answers 400 for %s', async (query, message) => {
    const response = await page(query);
    expect(response.status).toBe(400);
    expect(response.body.error).toContain(message);
  });
});
