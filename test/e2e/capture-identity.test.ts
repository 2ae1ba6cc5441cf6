import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordJson } from '../../src/core/record.js';
import type { SessionJson } from '../../src/store/summary-json.js';
import { startV2Server, type V2Server } from '../fixtures/sdk-v2-server.js';
import { apiJson } from '../helpers/api-json.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { v2StdioServer, waitFor } from '../helpers/stdio.js';

const MODERN = '2026-07-28';
const MESSAGES = new Set(['request', 'response', 'notification', 'error']);

function text(result: unknown): string {
  return (result as { content: { text: string }[] }).content[0]?.text ?? '';
}

const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;

/**
 * A 2025 client (SDK v1, initialize) and a 2026 client (SDK v2, `_meta` on every request) using the same
 * dual-era server at once, through each path the gateway offers: what was captured must name each
 * message's own client, server and protocol version, and group the 2026 client's requests into one
 * conversation that the sessions list, the filters and exports know.
 */
describe.each([
  ['the HTTP proxy', 'http'],
  ['a shared stdio server', 'shared'],
  ['an isolated stdio server', 'isolated'],
] as const)('capture of both eras through %s', (_label, path) => {
  let gw: TestGateway;
  let upstream: V2Server | undefined;

  beforeAll(async () => {
    let entry: Record<string, unknown>;
    if (path === 'http') {
      upstream = await startV2Server('stateless');
      entry = { type: 'http', url: upstream.url };
    } else {
      entry = v2StdioServer('serve', { sessionMode: path });
    }
    gw = await startTestGateway({ servers: { dual: entry } });
    const old = await connectClient(gw.proxyUrl('dual'), 'old-app', HOST_WITHOUT_ROOTS);
    const modern = new Client(
      { name: 'modern-app', version: '3.0.0' },
      { versionNegotiation: { mode: { pin: MODERN } } },
    );
    await modern.connect(new StreamableHTTPClientTransport(new URL(gw.proxyUrl('dual'))));
    try {
      expect(modern.getNegotiatedProtocolVersion()).toBe(MODERN);
      const [a, b] = await Promise.all([
        old.client.callTool({ name: 'echo', arguments: { message: 'from 2025' } }),
        modern.callTool({ name: 'echo', arguments: { message: 'from 2026' } }),
      ]);
      expect(text(a)).toBe('Echo: from 2025');
      expect(text(b)).toBe('Echo: from 2026');
      await modern.listTools();
      await old.client.listTools();
    } finally {
      await old.close();
      await modern.close();
    }
  });

  afterAll(async () => {
    await gw?.stop();
    await upstream?.stop();
  });

  it("names every message's own client and server and its protocol version", async () => {
    const records = await waitFor('both echo answers recorded', async () => {
      const all = await gw.records((r) => r.server === 'dual' && MESSAGES.has(r.kind));
      const answers = all.filter((r) => r.kind === 'response' && r.message.includes('Echo: from'));
      return answers.length === 2 ? all : undefined;
    });
    // The gateway's own handshake with a stdio server is its own client's; the rest are the two clients'.
    const clients = records.filter((r) => r.clientName !== 'mcp-gateway');
    for (const r of clients) {
      const where = `${r.id} ${r.direction} ${r.method} ${r.summary}`;
      expect(r.clientName, where).toMatch(/^(old-app|modern-app)$/);
      expect(r.protocolVersion, where).toEqual(expect.any(String));
      expect(r.serverName, where).toMatch(/^v2-(stdio-)?fixture$/);
    }
    for (const r of clients.filter((r) => r.message.includes('from 2026'))) {
      expect([r.clientName, r.protocolVersion]).toEqual(['modern-app', MODERN]);
    }
    for (const r of clients.filter((r) => r.message.includes('from 2025'))) {
      expect(r.clientName).toBe('old-app');
      expect(r.protocolVersion).toMatch(/^2025-/);
    }
    const modern = clients.filter((r) => r.clientName === 'modern-app');
    const old = clients.filter((r) => r.clientName === 'old-app');
    expect(modern.every((r) => r.protocolVersion === MODERN)).toBe(true);
    expect(old.every((r) => r.protocolVersion?.startsWith('2025-'))).toBe(true);
    // The 2026 client's requests are one conversation, with an id the gateway derived.
    expect(new Set(modern.map((r) => r.sessionId)).size).toBe(1);
    expect(modern[0]?.sessionId).toMatch(/^conv-/);
    expect(old.some((r) => r.sessionId?.startsWith('conv-'))).toBe(false);
  });

  it('lists the conversation in /api/sessions with its client, and serves its timeline', async () => {
    const { data } = await apiJson<{ data: SessionJson[] }>(gw, '/api/sessions?server=dual');
    const conversation = data.find((s) => s.client.name === 'modern-app');
    expect(conversation).toMatchObject({
      sessionSource: 'derived',
      protocolVersion: MODERN,
      upstream: { name: expect.stringMatching(/^v2-(stdio-)?fixture$/) },
    });
    expect(conversation?.sessionId).toMatch(/^conv-/);
    const timeline = await apiJson<{ data: RecordJson[] }>(
      gw,
      `/api/sessions/${conversation?.sessionId}?server=dual`,
    );
    const summaries = timeline.data.map((r) => r.summary);
    expect(summaries.some((s) => s.includes('from 2026'))).toBe(true);
    expect(summaries.some((s) => s.includes('from 2025'))).toBe(false);
  });

  it('finds the 2026 client by client:, session: and protocol:, and only it', async () => {
    const { data: sessions } = await apiJson<{ data: SessionJson[] }>(gw, '/api/sessions?server=dual');
    const id = sessions.find((s) => s.client.name === 'modern-app')?.sessionId ?? 'none';
    const byClient = await apiJson<{ data: RecordJson[] }>(gw, `/api/logs?${q('client:modern-app')}`);
    const bySession = await apiJson<{ data: RecordJson[] }>(gw, `/api/logs?${q(`session:${id}`)}`);
    const byProtocol = await apiJson<{ data: RecordJson[] }>(
      gw,
      `/api/logs?${q(`protocol:${MODERN} -client:mcp-gateway -kind:other`)}`,
    );
    expect(byClient.data.length).toBeGreaterThanOrEqual(6);
    const ids = (page: { data: RecordJson[] }) => page.data.map((r) => r.id).sort();
    expect(ids(bySession)).toEqual(expect.arrayContaining(ids(byClient)));
    expect(ids(byProtocol)).toEqual(ids(byClient));
    for (const r of [...byClient.data, ...bySession.data]) {
      expect(r.client.name ?? 'modern-app').toBe('modern-app');
      expect(JSON.stringify(r)).not.toContain('from 2025');
    }
    const oldOnes = await apiJson<{ data: RecordJson[] }>(gw, `/api/logs?${q('client:old-app')}`);
    expect(oldOnes.data.length).toBeGreaterThanOrEqual(6);
    expect(oldOnes.data.every((r) => r.protocolVersion?.startsWith('2025-'))).toBe(true);
    expect(JSON.stringify(oldOnes.data)).not.toContain('from 2026');
  });

  it('exports the version, the identity and the derived session, and imports them back unchanged', async () => {
    const response = await gw.api(`/api/logs/export?${q('client:modern-app')}`);
    const lines = (await response.text()).trim().split('\n');
    const exported = lines.map((line) => JSON.parse(line) as RecordJson);
    expect(exported.length).toBeGreaterThanOrEqual(6);
    for (const r of exported) {
      expect(r).toMatchObject({
        protocolVersion: MODERN,
        sessionSource: 'derived',
        client: { name: 'modern-app' },
      });
    }
    const other = await startTestGateway();
    try {
      const imported = await apiJson<{ imported: number }>(other, '/api/logs/import', 200, {
        method: 'POST',
        body: lines.join('\n'),
        headers: { 'content-type': 'application/x-ndjson' },
      });
      expect(imported.imported).toBe(exported.length);
      const back = await apiJson<{ data: RecordJson[] }>(
        other,
        `/api/logs?${q(`protocol:${MODERN}`)}&order=asc`,
      );
      expect(back.data.map((r) => [r.protocolVersion, r.sessionId, r.sessionSource, r.client.name])).toEqual(
        exported.map((r) => [r.protocolVersion, r.sessionId, r.sessionSource, r.client.name]),
      );
      const { data: sessions } = await apiJson<{ data: SessionJson[] }>(other, '/api/sessions');
      expect(sessions).toEqual([
        expect.objectContaining({
          sessionSource: 'derived',
          protocolVersion: MODERN,
          client: expect.objectContaining({ name: 'modern-app' }),
        }),
      ]);
    } finally {
      await other.stop();
    }
  });
});
