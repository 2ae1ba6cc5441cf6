import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordJson } from '../../src/core/record.js';
import { apiJson } from '../helpers/api-json.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
// Without roots: server-everything asks a client with roots for them after initialize, and an answer
// racing the client's close would add an error record these tests count exactly.
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';

/** A record as the API shows it, without what an import necessarily changes (ids and links to ids). */
function comparable(record: RecordJson) {
  const { id: _id, partnerId, ...rest } = record;
  return { ...rest, paired: partnerId !== null };
}

describe('export then import', () => {
  let everything: RunningEverything;
  let source: TestGateway;
  let target: TestGateway;

  beforeAll(async () => {
    everything = await startEverything();
    source = await startTestGateway({ servers: { everything: { type: 'http', url: everything.url } } });
    target = await startTestGateway();
    const client = await connectClient(source.proxyUrl('everything'), 'test-client', HOST_WITHOUT_ROOTS);
    await client.client.listTools();
    await client.client.callTool({
      name: 'echo',
      arguments: { message: 'exported ✓ "quotes" \\ and\nnewlines' },
    });
    await client.client.callTool({ name: 'nope', arguments: {} });
    await client.close();
    await source.gateway.flushCapture();
  });

  afterAll(async () => {
    await source?.stop();
    await target?.stop();
    await everything?.stop();
  });

  it('gives records equal to the originals, responses still paired with their requests', async () => {
    const exported = await source.api('/api/logs/export');
    expect(exported.headers.get('content-type')).toContain('application/x-ndjson');
    const jsonl = await exported.text();
    const lines = jsonl.trim().split('\n');
    const originals = (await apiJson<{ data: RecordJson[] }>(source, '/api/logs?order=asc&limit=1000')).data;
    expect(lines.length).toBe(originals.length);

    const result = await apiJson<{ imported: number; skipped: number }>(target, '/api/logs/import', 200, {
      method: 'POST',
      body: jsonl,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(result).toMatchObject({ imported: originals.length, skipped: 0 });

    const imported = (await apiJson<{ data: RecordJson[] }>(target, '/api/logs?order=asc&limit=1000')).data;
    expect(imported.map(comparable)).toEqual(originals.map(comparable));
    // Links follow the new ids.
    const byId = new Map(imported.map((r) => [r.id, r]));
    for (const record of imported.filter((r) => r.partnerId !== null)) {
      const partner = byId.get(record.partnerId as number);
      expect(partner?.jsonrpcId).toEqual(record.jsonrpcId);
    }
    // Imported traffic is searchable and summarized like captured traffic.
    const found = await apiJson<{ data: RecordJson[] }>(target, '/api/logs?filter=exported');
    expect(found.data.length).toBeGreaterThan(0);
    const sessions = await apiJson<{ data: { errors: number }[] }>(target, '/api/sessions');
    expect(sessions.data).toHaveLength(1);
    expect(sessions.data[0]?.errors).toBe(1);
  });

  it('exports only what the filter matches', async () => {
    const jsonl = await (await source.api('/api/logs/export?filter=method:tools/call kind:request')).text();
    const records = jsonl
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RecordJson);
    expect(records.map((r) => r.summary)).toEqual([expect.stringContaining('echo('), 'nope()']);
  });

  it('reports lines it cannot import, and refuses a file with nothing importable', async () => {
    const [good] = (
      await source.api('/api/logs/export?filter=method:initialize kind:request').then((r) => r.text())
    ).split('\n');
    const body = [good, '{"not": "a record"}', 'not json', ''].join('\n');
    const result = await apiJson<{ imported: number; skipped: number; problems: { line: number }[] }>(
      target,
      '/api/logs/import',
      200,
      { method: 'POST', body },
    );
    expect(result.imported).toBe(1);
    expect(result.skipped).toBe(2);
    expect(result.problems.map((p) => p.line)).toEqual([2, 3]);
    const refused = await apiJson<{ error: string }>(target, '/api/logs/import', 400, {
      method: 'POST',
      body: 'garbage',
    });
    expect(refused.error).toContain('line 1');
  });
});
