import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, parseFixture } from '../../src/mock/fixture.js';
import { runCli } from '../helpers/cli.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';

describe('GET /api/sessions/:id/fixture', { timeout: 120_000 }, () => {
  let gw: TestGateway;
  let work: string;
  const sessions: Record<string, string> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'mcp-gateway-fixture-'));
    gw = await startTestGateway({
      servers: {
        everything: stdioServers.everything(),
        memory: stdioServers.memory(join(work, 'memory.jsonl')),
      },
    });
    for (const server of ['everything', 'memory']) {
      const session = await connectClient(gw.proxyUrl(server), 'fixture-client', HOST_WITHOUT_ROOTS);
      await session.client.listTools();
      sessions[server] = session.transport.sessionId as string;
      await session.close();
    }
    await gw.gateway.flushCapture();
  }, 120_000);

  afterAll(async () => {
    await gw?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('answers the session as a fixture the mock command serves', async () => {
    const response = await gw.api(`/api/sessions/${sessions.everything}/fixture`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="mock-everything-/);
    const fixture = parseFixture(await response.json(), 'the answer') as Fixture;
    expect(fixture.server.name).toBe('everything');
    expect(fixture.source.sessionId).toBe(sessions.everything);
    expect(fixture.handshake?.method).toBe('initialize');
    expect(fixture.exchanges.map((e) => e.method)).toEqual(['tools/list']);

    const file = join(work, 'from-api.json');
    writeFileSync(file, JSON.stringify(fixture));
    const exported = runCli(['mock', 'export', '--from', file, '--out', join(work, 'copy.json')]);
    expect(await exported.exit()).toBe(0);
  });

  it('answers 404 for an unknown session, and for a session outside a scoped token', async () => {
    const unknown = await gw.api('/api/sessions/no-such-session/fixture');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toContain('No session "no-such-session"');

    const created = await gw.api('/api/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'memory-viewer', role: 'viewer', servers: ['memory'], expires: '1d' }),
    });
    const { value } = (await created.json()) as { value: string };
    const as = (path: string) => fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${value}` } });
    expect((await as(`/api/sessions/${sessions.memory}/fixture`)).status).toBe(200);
    expect((await as(`/api/sessions/${sessions.everything}/fixture`)).status).toBe(404);
  });
});
