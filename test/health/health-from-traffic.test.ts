import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordJson } from '../../src/core/record.js';
import { apiJson } from '../helpers/api-json.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';

type Health = { health: { state: string; detail: string | null } };

/**
 * Health follows proxied traffic at once: with periodic checks off, nothing but the client's own
 * requests tells the gateway that server-everything went away and came back.
 */
describe('health from proxied traffic', () => {
  let everything: RunningEverything;
  let gw: TestGateway;
  let port: number;

  beforeAll(async () => {
    everything = await startEverything();
    port = Number(new URL(everything.url).port);
    gw = await startTestGateway({
      healthInterval: 0,
      servers: { live: { type: 'http', url: everything.url } },
    });
  });

  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
  });

  const health = async () => (await apiJson<Health>(gw, '/api/servers/live')).health;

  it('marks a server up when a proxied request succeeds', async () => {
    expect((await health()).state).toBe('unknown');
    const client = await connectClient(gw.proxyUrl('live'), 'traffic-up');
    await client.client.listTools();
    await client.close();
    expect(await health()).toMatchObject({
      state: 'up',
      detail: 'a proxied request was answered (HTTP 200)',
    });
  });

  it('marks it down as soon as a proxied request cannot reach it, and records why', async () => {
    const client = await connectClient(gw.proxyUrl('live'), 'traffic-down');
    await everything.stop();
    await expect(client.client.callTool({ name: 'echo', arguments: { message: 'gone?' } })).rejects.toThrow();
    await client.close().catch(() => undefined);
    const down = await health();
    expect(down.state).toBe('down');
    // Refused, or reset when a kept-alive connection was the one that found it gone: either way, down.
    expect(down.detail).toMatch(
      /^a proxied request failed: .*server "live" at http:\/\/127\.0\.0\.1:\d+\/mcp/,
    );
    expect(gw.messages).toContainEqual(`health: live is down, was up — ${down.detail}`);
    await gw.gateway.flushCapture();
    const notes = await apiJson<{ data: RecordJson[] }>(gw, '/api/logs?filter=server:live note:health');
    expect(notes.data.map((r) => r.summary)).toEqual([expect.stringContaining('live is down, was up')]);
  });

  it('marks it up again when traffic gets through after a restart', async () => {
    everything = await startEverything(port);
    const client = await connectClient(gw.proxyUrl('live'), 'traffic-back');
    await client.client.listTools();
    await client.close();
    expect((await health()).state).toBe('up');
  });
});
