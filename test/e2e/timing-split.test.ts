import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRecord, RecordJson } from '../../src/core/record.js';
import { type RawUpstream, startRawUpstream } from '../fixtures/raw-upstream.js';
import { apiJson } from '../helpers/api-json.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { httpRequest, JSON_HEADERS, rpc } from '../helpers/http.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { stdioServers, v2StdioServer } from '../helpers/stdio.js';

/** How long the upstreams below take to answer. */
const DELAY_MS = 300;
/**
 * Node's timers count from the event loop's cached time, so an upstream's wait can end up to about a
 * millisecond per timer before the delay is up on the gateway's clock.
 */
const TIMER_SLACK_MS = 3;
/**
 * The gateway's own part is about a millisecond on a quiet machine; on a busy CI the scheduler adds to
 * it. What must never happen is the upstream's wait counted as the gateway's.
 */
const GATEWAY_AT_MOST_MS = DELAY_MS / 2;
const LONG_CALL = {
  name: 'trigger-long-running-operation',
  arguments: { duration: DELAY_MS / 1000, steps: 2 },
};

function expectSplit(answer: CapturedRecord | undefined): void {
  expect(answer).toBeDefined();
  const { gatewayMs, upstreamMs, durationMs } = answer as CapturedRecord;
  expect(upstreamMs).toBeGreaterThanOrEqual(DELAY_MS - TIMER_SLACK_MS);
  expect(gatewayMs).toBeGreaterThanOrEqual(0);
  expect(gatewayMs).toBeLessThan(GATEWAY_AT_MOST_MS);
  // The two parts make up the answer's duration: from the gateway having the request to the client
  // having the answer, nothing counted twice and nothing left out.
  expect((gatewayMs ?? 0) + (upstreamMs ?? 0)).toBeCloseTo(durationMs ?? -1, 1);
}

const longCallAnswer = (r: CapturedRecord) =>
  r.kind === 'response' &&
  r.method === 'tools/call' &&
  r.message.includes('Long running operation completed');

describe('the time of an answered request, split between the gateway and the upstream', () => {
  let gw: TestGateway;
  let everything: RunningEverything;
  let raw: RawUpstream;

  beforeAll(async () => {
    everything = await startEverything();
    // A plain upstream that takes its time: headers at once, the JSON body DELAY_MS later.
    raw = await startRawUpstream((_req, res, body) => {
      const { id } = JSON.parse(body.toString('utf8')) as { id: number };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      setTimeout(() => res.end(JSON.stringify({ jsonrpc: '2.0', id, result: { slow: true } })), DELAY_MS);
    });
    gw = await startTestGateway({
      servers: {
        everything: { type: 'http', url: everything.url },
        raw: { type: 'http', url: raw.url },
        // Nothing listens there: the gateway answers 502 itself.
        gone: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
        stdio: stdioServers.everything({ sessionMode: 'shared' }),
        isolated: stdioServers.everything({ sessionMode: 'isolated' }),
        modern: v2StdioServer('reject'),
      },
    });
  }, 30_000);

  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
    await raw?.stop();
  });

  it('through the HTTP proxy, an answer streamed as SSE: the upstream’s work is the upstream’s', async () => {
    const client = await connectClient(gw.proxyUrl('everything'), 'timing-http', HOST_WITHOUT_ROOTS);
    try {
      await client.client.callTool(LONG_CALL);
    } finally {
      await client.close();
    }
    const [answer] = await gw.records((r) => r.server === 'everything' && longCallAnswer(r));
    expect(answer?.transport).toBe('http-sse');
    expectSplit(answer);
    // The REST API, and so the UI and exports, carry it.
    const json = await apiJson<RecordJson>(gw, `/api/logs/${answer?.id}`);
    expect(json).toMatchObject({ gatewayMs: answer?.gatewayMs, upstreamMs: answer?.upstreamMs });
  });

  it('through the HTTP proxy, a JSON answer: its slow body is the upstream’s, not the gateway’s', async () => {
    const response = await httpRequest(gw.proxyUrl('raw'), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: rpc('tools/call', 41, { name: 'slow', arguments: {} }),
    });
    expect(response.status).toBe(200);
    const [answer] = await gw.records((r) => r.server === 'raw' && r.kind === 'response');
    expect(answer?.transport).toBe('http-json');
    expectSplit(answer);
  });

  it('an answer the gateway wrote itself carries no split', async () => {
    const response = await httpRequest(gw.proxyUrl('gone'), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: rpc('tools/list', 5),
    });
    expect(response.status).toBe(502);
    const [answer] = await gw.records((r) => r.server === 'gone' && r.kind === 'error');
    expect(answer?.durationMs).not.toBeNull();
    expect(answer).toMatchObject({ gatewayMs: null, upstreamMs: null });
  });

  it.each([
    ['shared', 'stdio'],
    ['isolated', 'isolated'],
  ])('through a stdio server in %s mode: stdin to stdout is the upstream’s', async (_mode, server) => {
    const client = await connectClient(gw.proxyUrl(server), `timing-${server}`, HOST_WITHOUT_ROOTS);
    try {
      await client.client.listTools();
      await client.client.callTool(LONG_CALL);
    } finally {
      await client.close();
    }
    const records = await gw.records((r) => r.server === server);
    const answer = records.find(longCallAnswer);
    expect(answer?.transport).toBe('stdio');
    expectSplit(answer);
    // Every answer the server sent is split, the quick ones too.
    const listed = records.find((r) => r.kind === 'response' && r.method === 'tools/list');
    expect(listed?.upstreamMs).toBeGreaterThanOrEqual(0);
    expect(listed?.gatewayMs).toBeGreaterThanOrEqual(0);
  });

  it('through a stdio server, for a client of MCP 2026-07-28 (no session): split the same way', async () => {
    const client = new Client(
      { name: 'timing-modern', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(gw.proxyUrl('modern'))));
    try {
      await client.callTool({ name: 'echo', arguments: { message: 'how long?' } });
    } finally {
      await client.close();
    }
    const [answer] = await gw.records(
      (r) => r.server === 'modern' && r.kind === 'response' && r.message.includes('how long?'),
    );
    expect(answer?.gatewayMs).toBeGreaterThanOrEqual(0);
    expect(answer?.upstreamMs).toBeGreaterThan(0);
    expect((answer?.gatewayMs ?? 0) + (answer?.upstreamMs ?? 0)).toBeCloseTo(answer?.durationMs ?? -1, 1);
  });
});
