import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { serverStatus, stdioServers, waitFor, waitForState } from '../helpers/stdio.js';

/** `/api/servers/<name>/status|restart|stderr`: the run state of servers and control over stdio processes. */
describe('server runtime API', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({
      servers: {
        fixture: stdioServers.fixture(),
        remote: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
      },
    });
    await waitForState(gw, 'fixture', 'running');
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('starts a stdio server registered over the API, which serves at once, leaving the others running', async () => {
    const { pid } = await waitForState(gw, 'fixture', 'running');
    await gw.register('added', stdioServers.fixture());
    const session = await connectClient(gw.proxyUrl('added'));
    try {
      const result = await session.client.callTool({ name: 'echo', arguments: { message: 'registered' } });
      expect(result.content).toEqual([{ type: 'text', text: 'Echo: registered' }]);
    } finally {
      await session.close();
    }
    expect(await serverStatus(gw, 'fixture')).toMatchObject({ state: 'running', pid });
  });

  it("shows a stdio server's state, process and sessions", async () => {
    const response = await gw.api('/api/servers/fixture/status');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      name: 'fixture',
      type: 'stdio',
      state: 'running',
      pid: expect.any(Number),
      restarts: 0,
      sessions: 0,
      lastError: null,
    });
  });

  it("serves a stdio server's recent stderr lines, oldest first, as many as asked", async () => {
    await waitFor('the fixture to log', async () => {
      const body = (await (await gw.api('/api/servers/fixture/stderr')).json()) as { total: number };
      return body.total > 0;
    });
    const response = await gw.api('/api/servers/fixture/stderr?limit=1');
    const body = (await response.json()) as { lines: { line: string; time: string; pid: number }[] };
    expect(body.lines).toHaveLength(1);
    expect(body.lines[0]).toMatchObject({
      line: expect.stringMatching(/^fixture: started pid \d+/),
      pid: expect.any(Number),
    });
    expect(new Date(body.lines[0]?.time as string).getTime()).toBeGreaterThan(0);
  });

  it('says why it refuses: unknown server (404), HTTP servers have no stderr (400), bad limit (400), no token (401)', async () => {
    const unknown = await gw.api('/api/servers/nope/status');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: 'No server named "nope". Registered: added, fixture, remote.',
    });
    const stderrOfHttp = await gw.api('/api/servers/remote/stderr');
    expect(stderrOfHttp.status).toBe(400);
    expect(((await stderrOfHttp.json()) as { error: string }).error).toMatch(
      /is an HTTP server: stderr only exists for stdio/,
    );
    expect(await (await gw.api('/api/servers/remote/status')).json()).toMatchObject({
      type: 'http',
      state: 'unknown',
    });
    expect((await gw.api('/api/servers/fixture/stderr?limit=0')).status).toBe(400);
    expect((await fetch(`${gw.url}/api/servers/fixture/status`)).status).toBe(401);
  });

  it('restarts a stdio server on request and answers with its new state', async () => {
    const before = (await (await gw.api('/api/servers/fixture/status')).json()) as { pid: number };
    const response = await gw.api('/api/servers/fixture/restart', { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      restarted: 'fixture',
      server: { name: 'fixture', status: { state: 'starting', restarts: 1 } },
    });
    const after = await waitForState(gw, 'fixture', 'running', before.pid);
    expect(after.pid).not.toBe(before.pid);
  });

  it('restarts a stdio server whose configuration changes, and stops one that is removed', async () => {
    const before = await waitForState(gw, 'fixture', 'running');
    const update = await gw.api('/api/servers/config/fixture', {
      method: 'PUT',
      body: JSON.stringify(stdioServers.fixture({ env: { FIXTURE_FLAVOUR: 'new' } })),
    });
    expect(update.status).toBe(200);
    await waitForState(gw, 'fixture', 'running', before.pid);
    expect((await gw.api('/api/servers/config/fixture', { method: 'DELETE' })).status).toBe(200);
    expect(await (await gw.api('/api/servers/fixture/status')).json()).toMatchObject({
      error: expect.stringMatching(/No server named/),
    });
    await waitFor('the removed server to be stopped', () =>
      gw.messages.some((m) => m === 'stdio server fixture: stopped'),
    );
  });
});
