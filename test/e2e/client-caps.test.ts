import { connect, type Socket } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { fetchFrom, httpRequestFrom, OTHER_CLIENT } from '../helpers/local-address.js';
import { type ConnectedClient, connectClient } from '../helpers/mcp-client.js';
import { waitFor } from '../helpers/stdio.js';

/** An idle keep-alive connection to the gateway, as a client holds between requests. */
function openConnection(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

async function status(gw: TestGateway): Promise<Record<string, number>> {
  const body = (await (await gw.api('/api/status')).json()) as {
    limits: { refused: Record<string, number> };
  };
  return body.limits.refused;
}

/** Caps on what one client address may hold open: connections, and MCP sessions through the proxy. */
describe('per-client caps', () => {
  let gw: TestGateway | undefined;
  let everything: RunningEverything | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await gw?.stop();
    await everything?.stop();
    gw = undefined;
    everything = undefined;
  });

  it('answers a connection past --max-connections-per-client 503 and closes it; other addresses and freed room go on', async () => {
    gw = await startTestGateway({ maxConnectionsPerClient: 2 });
    const held = [await openConnection(gw.url), await openConnection(gw.url)];
    cleanups.push(() => {
      for (const socket of held) socket.destroy();
    });
    const refused = await httpRequestFrom('127.0.0.1', `${gw.url}/s/anything/mcp`);
    expect(refused.status).toBe(503);
    expect(refused.headers.connection).toBe('close');
    expect(refused.headers['retry-after']).toBe('1');
    // The proxy speaks JSON-RPC, so its refusal is a JSON-RPC error.
    expect(JSON.parse(refused.body)).toMatchObject({
      jsonrpc: '2.0',
      error: {
        message: expect.stringContaining(
          'Too many connections from 127.0.0.1: the gateway takes at most 2 at once from one client address (--max-connections-per-client)',
        ),
      },
    });
    expect((await httpRequestFrom(OTHER_CLIENT, `${gw.url}/`)).status).toBe(200);

    held.pop()?.destroy();
    const url = gw.url;
    await waitFor(
      'a freed connection',
      async () => (await httpRequestFrom('127.0.0.1', `${url}/`)).status === 200,
    );
    expect((await status(gw)).connectionsPerClient).toBeGreaterThanOrEqual(1);
  });

  it('refuses an initialize past --max-sessions-per-client with 429, until the client ends a session', async () => {
    everything = await startEverything();
    gw = await startTestGateway({
      maxSessionsPerClient: 2,
      servers: { everything: { type: 'http', url: everything.url } },
    });
    const url = gw.proxyUrl('everything');
    const open: ConnectedClient[] = [await connectClient(url), await connectClient(url)];
    cleanups.push(async () => {
      for (const client of open) await client.close().catch(() => {});
    });
    // The sessions it has go on; a third is refused, and says how to get one.
    await open[0]?.client.listTools();
    const third = connectClient(url);
    await expect(third).rejects.toMatchObject({ code: 429 });
    await expect(third).rejects.toThrow(
      /Too many open MCP sessions from 127\.0\.0\.1.*--max-sessions-per-client/,
    );
    await open[1]?.client.listTools();

    // Another machine has its own sessions.
    const other = new Client({ name: 'other-machine', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: fetchFrom(OTHER_CLIENT) });
    await other.connect(transport);
    cleanups.push(async () => {
      await transport.terminateSession().catch(() => {});
      await other.close();
    });

    // Ending a session (DELETE, MCP "Session Management") makes room at once.
    await open.shift()?.close();
    const again = await connectClient(url);
    open.push(again);
    expect((await again.client.listTools()).tools.length).toBeGreaterThan(0);
    expect((await status(gw)).sessionsPerClient).toBe(1);
  });
});
