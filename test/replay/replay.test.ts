import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRecord } from '../../src/core/record.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';

interface RecordJson {
  id: number;
  server: string;
  method: string | null;
  kind: string;
  direction: string;
  message: unknown;
  replayOf: number | null;
  client: { name: string | null } | null;
  [key: string]: unknown;
}

interface ReplayAnswer {
  original: { request: RecordJson; response: RecordJson | null };
  replay: { request: RecordJson | null; response: RecordJson | null };
  diff: { entries: { path: string; kind: string; before?: unknown; after?: unknown }[]; truncated: boolean };
  durations: { originalMs: number | null; replayMs: number | null };
  session: { mode: string; id: string | null; protocolVersion: string | null; initializeFrom: number | null };
}

let everything: RunningEverything;
let legacy: RunningEverything;
let gw: TestGateway;

beforeAll(async () => {
  everything = await startEverything();
  legacy = await startEverything(undefined, 'sse');
  gw = await startTestGateway({
    servers: {
      everything: { type: 'http', url: everything.url },
      'everything-sse': { type: 'sse', url: legacy.url },
      'everything-stdio': stdioServers.everything(),
      memory: stdioServers.memory(join(mkdtempSync(join(tmpdir(), 'replay-memory-')), 'memory.jsonl')),
    },
  });
}, 60_000);

afterAll(async () => {
  await gw?.stop();
  await everything?.stop();
  await legacy?.stop();
});

/** Calls a tool as an SDK client would, and answers the id of its captured tools/call request. */
async function callAndFind(
  server: string,
  name: string,
  args: Record<string, unknown>,
): Promise<CapturedRecord> {
  const client = await connectClient(gw.proxyUrl(server), 'original-client');
  try {
    await client.client.callTool({ name, arguments: args });
  } finally {
    await client.close();
  }
  const requests = await gw.records(
    (r) => r.server === server && r.method === 'tools/call' && r.kind === 'request' && r.replayOf === null,
  );
  const found = requests.at(-1);
  if (!found) throw new Error(`no tools/call captured on ${server}`);
  return found;
}

const replay = (id: number, body?: unknown, token = TEST_TOKEN) =>
  fetch(`${gw.url}/api/logs/${id}/replay`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function createToken(body: Record<string, unknown>): Promise<string> {
  const response = await gw.api('/api/tokens', { method: 'POST', body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { value: string }).value;
}

describe.each([
  ['HTTP', 'everything'],
  ['stdio', 'everything-stdio'],
  ['legacy HTTP+SSE', 'everything-sse'],
])('replaying a tools/call of server-everything over %s', (_transport, server) => {
  it('sends it again through the gateway, links the new records and answers the same', async () => {
    const original = await callAndFind(server, 'echo', { message: 'first' });
    const response = await replay(original.id);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as ReplayAnswer;
    expect(answer.original.request.id).toBe(original.id);
    expect(answer.original.response?.kind).toBe('response');
    expect(answer.replay.request).toMatchObject({ replayOf: original.id, method: 'tools/call', server });
    expect(answer.replay.request?.client?.name).toBe('mcp-gateway replay');
    expect(answer.replay.response).toMatchObject({ replayOf: original.id, kind: 'response' });
    expect(answer.diff.entries).toEqual([]);
    expect(answer.durations.originalMs).toEqual(expect.any(Number));
    expect(answer.durations.replayMs).toEqual(expect.any(Number));
    // Initialized as the original client was: from its captured initialize.
    expect(answer.session.initializeFrom).toEqual(expect.any(Number));

    // Visible in /api/logs like any traffic.
    const listed = await gw.api(
      `/api/logs?filter=${encodeURIComponent(`server:${server} id>${original.id}`)}&order=asc`,
    );
    const records = ((await listed.json()) as { data: RecordJson[] }).data;
    const linked = records.filter((r) => r.replayOf === original.id);
    expect(linked.map((r) => r.id).sort()).toEqual(
      [answer.replay.request?.id, answer.replay.response?.id].sort(),
    );
    // The replay's own session was initialized with the original's capabilities and ended.
    const initialize = records.find(
      (r) => r.method === 'initialize' && r.kind === 'request' && r.client?.name === 'mcp-gateway replay',
    );
    expect(
      (initialize?.message as { params: { capabilities: unknown } } | undefined)?.params.capabilities,
    ).toEqual(expect.objectContaining({ elicitation: expect.anything(), sampling: {} }));
  });

  it('sends an edited request and names the changed path in the diff', async () => {
    const original = await callAndFind(server, 'echo', { message: 'before edit' });
    const message = JSON.parse(original.message) as { params: { arguments: { message: string } } };
    message.params.arguments.message = 'after edit';
    const response = await replay(original.id, { message });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as ReplayAnswer;
    expect(answer.diff.entries).toEqual([
      {
        path: '/result/content/0/text',
        kind: 'changed',
        before: 'Echo: before edit',
        after: 'Echo: after edit',
      },
    ]);
    expect((answer.replay.request?.message as typeof message | undefined)?.params.arguments.message).toBe(
      'after edit',
    );
  });
});

describe('replay rules and refusals', () => {
  it('replays server-memory calls (stdio): a read answers the same, a repeated create shows what changed', async () => {
    const create = await callAndFind('memory', 'create_entities', {
      entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }],
    });
    const read = await callAndFind('memory', 'read_graph', {});
    const again = (await (await replay(read.id)).json()) as ReplayAnswer;
    expect(again.replay.request?.replayOf).toBe(read.id);
    expect(again.diff.entries).toEqual([]);
    expect(JSON.stringify(again.replay.response?.message)).toContain('Ada');

    // server-memory creates only entities it does not have yet: the replay's answer lists none.
    const repeated = (await (await replay(create.id)).json()) as ReplayAnswer;
    expect(repeated.replay.response).toMatchObject({ replayOf: create.id, kind: 'response' });
    expect(repeated.diff.entries.map((e) => e.path)).toContain('/result/content/0/text');
    expect(repeated.diff.entries.find((e) => e.path === '/result/content/0/text')?.before).toContain('Ada');
  });

  it('refuses what is not a client request (400), an invalid edit (400), an id mismatch (400), an unknown id (404)', async () => {
    const original = await callAndFind('everything', 'echo', { message: 'x' });
    const [answerRecord] = await gw.records((r) => r.partnerId === original.id);
    const notRequest = await replay(answerRecord?.id ?? 0);
    expect(notRequest.status).toBe(400);
    expect(((await notRequest.json()) as { error: string }).error).toMatch(/only a client's request/);
    const invalid = await replay(original.id, { message: { jsonrpc: '1.0', method: 'tools/call' } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: string }).error).toMatch(/"jsonrpc" must be "2.0"/);
    const mismatch = await replay(original.id, {
      message: { ...(JSON.parse(original.message) as object), id: 'another' },
    });
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { error: string }).error).toMatch(/Keep the original id/);
    expect((await replay(99_999_999)).status).toBe(404);
  });

  it('refuses a viewer (403) and hides another server’s record from a scoped operator (404)', async () => {
    const original = await callAndFind('everything', 'echo', { message: 'scoped' });
    const viewer = await createToken({ name: 'replay-viewer', role: 'viewer' });
    const refused = await replay(original.id, undefined, viewer);
    expect(refused.status).toBe(403);
    const scoped = await createToken({ name: 'memory-operator', role: 'operator', servers: ['memory'] });
    expect((await replay(original.id, undefined, scoped)).status).toBe(404);
    const before = await gw.records((r) => r.replayOf === original.id);
    expect(before).toEqual([]);
  });

  it('offers replay_record on the management MCP server, with the same options', async () => {
    const original = await callAndFind('everything', 'echo', { message: 'from a tool' });
    const message = JSON.parse(original.message) as { params: { arguments: { message: string } } };
    message.params.arguments.message = 'edited by a tool';
    const client = new Client({ name: 'agent', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/gateway/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('replay_record');
      const result = await client.callTool({
        name: 'replay_record',
        arguments: { id: original.id, message },
      });
      expect(result.isError).toBeFalsy();
      const text = (result.content as { text: string }[])[0]?.text ?? '';
      expect(text).toContain('/result/content/0/text');
      expect(text).toContain('edited by a tool');
      const structured = result.structuredContent as unknown as ReplayAnswer;
      expect(structured.replay.request?.replayOf).toBe(original.id);
      // Both ways of replaying are control-plane acts in the audit log, with the record replayed.
      const rest = (await (await replay(original.id)).json()) as ReplayAnswer;
      const audit = await gw.api('/api/audit?action=replay.send&limit=100');
      const entries = (
        (await audit.json()) as { data: { action: string; target: string | null; detail: string | null }[] }
      ).data;
      expect(
        entries
          .filter((e) => e.target === String(original.id))
          .map((e) => e.detail)
          .sort(),
      ).toEqual(
        [
          `replayed as record ${structured.replay.request?.id}`,
          `replayed as record ${rest.replay.request?.id}`,
        ].sort(),
      );
    } finally {
      await client.close();
    }
  });

  it('does not let an ordinary client pass its traffic off as a replay', async () => {
    const client = new Client({ name: 'forger', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(gw.proxyUrl('everything')), {
        requestInit: { headers: { 'x-mcp-gateway-replay': '1.guess' } },
      }),
    );
    await client.callTool({ name: 'echo', arguments: { message: 'forged' } });
    await client.close();
    const forged = await gw.records((r) => r.message.includes('forged'));
    expect(forged.length).toBeGreaterThan(0);
    expect(forged.every((r) => r.replayOf === null)).toBe(true);
  });
});
