import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRecord, RecordJson } from '../../src/core/record.js';
import { startV2MrtrServer, type V2MrtrServer } from '../fixtures/sdk-v2-mrtr-server.js';
import { apiJson } from '../helpers/api-json.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { v2StdioServer, waitFor } from '../helpers/stdio.js';

const MODERN = '2026-07-28';
/** How long the person takes to answer each elicitation. */
const THINKING_MS = 400;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An SDK v2 client pinned to 2026-07-28 whose person answers each question after THINKING_MS. */
function modernClient(): Client {
  const client = new Client(
    { name: 'mrtr-app', version: '1.0.0' },
    {
      capabilities: { elicitation: { form: {} }, sampling: {} },
      versionNegotiation: { mode: { pin: MODERN } },
    },
  );
  client.setRequestHandler('elicitation/create', async (request) => {
    await sleep(THINKING_MS);
    const message = String(request.params.message);
    const content: Record<string, string | boolean> = message.includes('name')
      ? { name: 'Ada' }
      : message.includes('colour')
        ? { colour: 'teal' }
        : { confirm: true };
    return { action: 'accept', content };
  });
  client.setRequestHandler('sampling/createMessage', async () => {
    await sleep(THINKING_MS);
    return { role: 'assistant', model: 'test-model', content: { type: 'text', text: 'rain on the roof' } };
  });
  return client;
}

async function connect(url: string): Promise<Client> {
  const client = modernClient();
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** The tools/call records of one tool, oldest first, once `count` of them are stored. */
async function rounds(
  gw: TestGateway,
  server: string,
  tool: string,
  count: number,
): Promise<CapturedRecord[]> {
  return waitFor(`${count} records of ${tool}`, async () => {
    const calls = await gw.records((r) => r.server === server && r.method === 'tools/call');
    const ids = new Set(
      calls.filter((r) => r.kind === 'request' && r.message.includes(`"${tool}"`)).map((r) => r.id),
    );
    const mine = calls.filter((r) => ids.has(r.id) || (r.partnerId !== null && ids.has(r.partnerId)));
    return mine.length >= count ? mine : undefined;
  });
}

/** What a multi-round operation must look like once captured: a chain of rounds, one total at the end. */
function expectOneOperation(records: CapturedRecord[], asked: string, roundsExpected: number): void {
  const requests = records.filter((r) => r.kind === 'request');
  const answers = records.filter((r) => r.kind === 'response');
  expect(requests).toHaveLength(roundsExpected);
  expect(answers).toHaveLength(roundsExpected);
  // Each retry continues the round before it; the first continues nothing.
  expect(requests.map((r) => r.linkedId)).toEqual([null, ...requests.slice(0, -1).map((r) => r.id)]);
  expect(requests.slice(1).every((r) => r.linkKind === 'mrtr-retry')).toBe(true);
  // Every round but the last asks for input, and says for what.
  expect(answers[0]?.summary).toContain(asked);
  for (const answer of answers.slice(0, -1)) {
    expect(answer.summary).toMatch(/^input required: /);
    expect(answer.operationMs).toBeNull();
  }
  const first = requests[0] as CapturedRecord;
  const last = answers.at(-1) as CapturedRecord;
  expect(last.summary).not.toMatch(/^input required/);
  // The total runs from the first request to the final answer, the person's thinking included.
  expect(last.operationMs).toBeGreaterThanOrEqual(THINKING_MS * (roundsExpected - 1));
  expect(last.operationMs).toBeGreaterThan(last.durationMs ?? 0);
  expect(last.operationMs).toBeCloseTo(last.time - first.time, 0);
}

describe('MRTR through the HTTP proxy: one operation', () => {
  let upstream: V2MrtrServer;
  let gw: TestGateway;
  let direct: Client;
  let proxied: Client;

  beforeAll(async () => {
    upstream = await startV2MrtrServer();
    gw = await startTestGateway({ servers: { mrtr: { type: 'http', url: upstream.url } } });
    direct = await connect(upstream.url);
    proxied = await connect(gw.proxyUrl('mrtr'));
  });

  afterAll(async () => {
    await proxied?.close();
    await direct?.close();
    await gw?.stop();
    await upstream?.stop();
  });

  it('an elicitation: the retry links to the first round, the answer carries the total time', async () => {
    const call = { name: 'deploy', arguments: { env: 'prod' } };
    const result = await proxied.callTool(call);
    expect(result).toEqual(await direct.callTool(call));
    expect(result.content).toEqual([{ type: 'text', text: 'deployed to prod' }]);
    const records = await rounds(gw, 'mrtr', 'deploy', 4);
    expectOneOperation(records, 'input required: confirm (elicitation/create: Deploy to prod?)', 2);
  });

  it('a sampling request, whose retry carries no requestState, is linked by its conversation and tool', async () => {
    const call = { name: 'haiku', arguments: { topic: 'rain' } };
    const result = await proxied.callTool(call);
    expect(result).toEqual(await direct.callTool(call));
    expect(result.content).toEqual([{ type: 'text', text: 'haiku: rain on the roof' }]);
    const records = await rounds(gw, 'mrtr', 'haiku', 4);
    expectOneOperation(records, 'input required: poem (sampling/createMessage: Write a haiku about rain)', 2);
  });

  it('three rounds chain, and the REST API and the filter language show the links', async () => {
    const call = { name: 'survey', arguments: {} };
    const result = await proxied.callTool(call);
    expect(result).toEqual(await direct.callTool(call));
    expect(result.content).toEqual([{ type: 'text', text: 'Ada likes teal' }]);
    const records = await rounds(gw, 'mrtr', 'survey', 6);
    expectOneOperation(records, 'input required: name (elicitation/create: Your name?)', 3);

    const retry = records.filter((r) => r.kind === 'request')[2] as CapturedRecord;
    const json = await apiJson<RecordJson>(gw, `/api/logs/${retry.id}`);
    expect(json).toMatchObject({ linkedId: retry.linkedId, linkKind: 'mrtr-retry', operationMs: null });
    const final = records.at(-1) as CapturedRecord;
    expect((await apiJson<RecordJson>(gw, `/api/logs/${final.id}`)).operationMs).toBe(final.operationMs);

    const linked = await apiJson<{ data: RecordJson[] }>(
      gw,
      `/api/logs?filter=${encodeURIComponent(`server:mrtr has:linked linked:${retry.linkedId}`)}`,
    );
    expect(linked.data.map((r) => r.id)).toEqual([retry.id]);
  });
});

describe('MRTR through a stdio server (2026-07-28 only, shared)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { modern: v2StdioServer('reject', { sessionMode: 'shared' }) } });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('links the retry to the first round and gives the final answer the total time', async () => {
    const client = await connect(gw.proxyUrl('modern'));
    try {
      const result = await client.callTool({ name: 'deploy', arguments: { env: 'staging' } });
      expect(result.content).toEqual([{ type: 'text', text: 'deployed to staging' }]);
    } finally {
      await client.close();
    }
    const records = await rounds(gw, 'modern', 'deploy', 4);
    expectOneOperation(records, 'input required: confirm (elicitation/create: Deploy to staging?)', 2);
  });
});
