import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordJson } from '../../src/core/record.js';
import { probeMcpEndpoint } from '../../src/health/probe.js';
import { apiJson } from '../helpers/api-json.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { freePort } from '../helpers/ports.js';

/** A plain HTTP server that answers every request with `status`, `type` and `body`. */
async function fixedAnswer(
  status: number,
  type: string,
  body: string,
): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(status, { 'content-type': type }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server };
}

describe('health checks tell an MCP endpoint from a wrong path and from a host that is down', () => {
  let everything: RunningEverything;
  let gw: TestGateway;
  let unauthorized: { url: string; server: Server };
  let html: { url: string; server: Server };
  let resultWith400: { url: string; server: Server };
  let deadUrl: string;
  let everythingStopped = false;

  beforeAll(async () => {
    everything = await startEverything();
    unauthorized = await fixedAnswer(401, 'application/json', '{"error":"unauthorized"}');
    html = await fixedAnswer(200, 'text/html', '<html>hello</html>');
    resultWith400 = await fixedAnswer(400, 'application/json', '{"jsonrpc":"2.0","id":1,"result":{}}');
    deadUrl = `http://127.0.0.1:${await freePort()}/mcp`;
    gw = await startTestGateway({
      healthInterval: 0,
      servers: {
        live: { type: 'http', url: everything.url },
        wrongpath: { type: 'http', url: everything.url.replace(/\/mcp$/, '/not-mcp') },
        dead: { type: 'http', url: deadUrl },
      },
    });
  });

  afterAll(async () => {
    await gw?.stop();
    if (!everythingStopped) await everything?.stop();
    unauthorized?.server.close();
    html?.server.close();
    resultWith400?.server.close();
  });

  it.each([
    ['a live MCP server', 'up', () => everything.url],
    ['a path where nothing is', 'not-found', () => everything.url.replace(/\/mcp$/, '/not-mcp')],
    ['a port nothing listens on', 'down', () => deadUrl],
    ['an endpoint that wants credentials', 'auth-required', () => unauthorized.url],
    ['a web page', 'error', () => html.url],
    // A 4xx is a refusal whatever its body says: "up" above "answered with HTTP 400" contradicts itself.
    ['an endpoint answering 400 with a JSON-RPC result', 'error', () => resultWith400.url],
  ])('probing %s gives %s', async (_what, state, url) => {
    const result = await probeMcpEndpoint({ url: new URL(url()), headers: {} });
    expect(result.state).toBe(state);
    expect(result.detail).toEqual(expect.any(String));
  });

  it('checks on demand through the API and reports health in the server list', async () => {
    for (const [name, state] of [
      ['live', 'up'],
      ['wrongpath', 'not-found'],
      ['dead', 'down'],
    ] as const) {
      const checked = await apiJson<{ health: { state: string; detail: string } }>(
        gw,
        `/api/servers/${name}/health-check`,
        200,
        { method: 'POST' },
      );
      expect(checked.health.state, name).toBe(state);
    }
    const dead = await apiJson<{ health: { detail: string } }>(gw, '/api/servers/dead');
    expect(dead.health.detail).toContain('connection refused');
    await apiJson(gw, '/api/servers/nope/health-check', 404, { method: 'POST' });
  });

  it('prints changes in the terminal and records them on the server timeline', async () => {
    expect(gw.messages).toContainEqual(expect.stringMatching(/^health: dead is down — connection refused/));
    expect(gw.messages).toContainEqual(expect.stringMatching(/^health: wrongpath is not-found — /));
    const notes = await apiJson<{ data: RecordJson[] }>(gw, '/api/logs?filter=note:health');
    expect(notes.data.map((r) => r.server).sort()).toEqual(['dead', 'wrongpath']);
    // A server coming up is the normal case: printed, not recorded.
    expect(gw.messages).toContainEqual(expect.stringMatching(/^health: live is up/));
  });

  it('sees a server that was up go down', async () => {
    await everything.stop();
    everythingStopped = true;
    const down = await apiJson<{ health: { state: string } }>(gw, '/api/servers/live/health-check', 200, {
      method: 'POST',
    });
    expect(down.health.state).toBe('down');
    expect(gw.messages).toContainEqual(
      'health: live is down, was up — connection refused: is the server running, on this port?',
    );
    const notes = await apiJson<{ data: RecordJson[] }>(gw, '/api/logs?filter=server:live note:health');
    expect(notes.data.map((r) => r.summary)).toEqual([expect.stringContaining('live is down, was up')]);
  });
});
