import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { freePort } from '../helpers/ports.js';
import { cliCommand } from '../helpers/stdio.js';

function stdioClient(...connectArgs: string[]) {
  const { command, args } = cliCommand('connect', ...connectArgs);
  const client = new Client({ name: 'stdio-only-app', version: '0.9.0' }, { capabilities: {} });
  return { client, transport: new StdioClientTransport({ command, args, stderr: 'pipe' }) };
}

/** A client that can only launch commands reaches a remote HTTP server through a running gateway. */
describe('mcp-gateway connect', () => {
  let everything: RunningEverything;
  let gw: TestGateway;

  beforeAll(async () => {
    everything = await startEverything();
    gw = await startTestGateway({ servers: { remote: { type: 'http', url: everything.url } } });
  });

  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
  });

  it('gives a stdio client a registered HTTP server, and the gateway records the session', async () => {
    const { client, transport } = stdioClient('remote', '--url', gw.url);
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe('mcp-servers/everything');
    const result = await client.callTool({ name: 'echo', arguments: { message: 'over stdio, then http' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: over stdio, then http' }]);
    await client.close();
    const records = await gw.records((r) => r.server === 'remote' && r.method === 'tools/call');
    expect(records.map((r) => [r.kind, r.clientName, r.summary])).toEqual([
      ['request', 'stdio-only-app', 'echo(message: over stdio, then http)'],
      ['response', 'stdio-only-app', 'Echo: over stdio, then http'],
    ]);
  });

  it("answers with the gateway's own words when the server is not registered", async () => {
    const { client, transport } = stdioClient('nowhere', '--port', String(gw.gateway.port));
    await expect(client.connect(transport)).rejects.toThrow(
      /Unknown server "nowhere". Registered servers: remote/,
    );
    await client.close();
  });

  it('tells the client no gateway answers when none runs at that address', async () => {
    const { client, transport } = stdioClient('remote', '--port', String(await freePort()));
    await expect(client.connect(transport)).rejects.toThrow(
      /No MCP Gateway answers at http:\/\/localhost:\d+/,
    );
    await client.close();
  });
});
