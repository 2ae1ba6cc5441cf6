import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpHandler, listenOnFreePort } from '../fixtures/sdk-server.js';
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
  let restarting: RunningEverything;
  let gw: TestGateway;

  beforeAll(async () => {
    everything = await startEverything();
    restarting = await startEverything();
    gw = await startTestGateway({
      servers: {
        remote: { type: 'http', url: everything.url },
        restarting: { type: 'http', url: restarting.url },
      },
    });
  });

  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
    await restarting?.stop();
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

  it('keeps the client working when the server restarts: a new session, its subscriptions made again', async () => {
    const { client, transport } = stdioClient('restarting', '--url', gw.url);
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      updates.push(notification.params.uri);
    });
    await client.connect(transport);
    const uri = 'demo://resource/static/document/architecture.md';
    await client.subscribeResource({ uri });
    await client.callTool({ name: 'echo', arguments: { message: 'before the restart' } });

    await restarting.stop();
    restarting = await startEverything(Number(new URL(restarting.url).port));
    // The restarted server knows no sessions: it answers the old session id with an error.
    const result = await client.callTool({ name: 'echo', arguments: { message: 'after the restart' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: after the restart' }]);
    // The subscription lives on in the new session: the server's simulated updates reach the client.
    await client.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
    await expect.poll(() => updates).toContain(uri);
    await client.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
    await client.close();

    expect(stderr).toContain('no longer knows this session (did the server restart?); starting a new one');
    expect(stderr).toContain('new session started; made again: 1 resource subscription(s)');
    const initializes = await gw.records(
      (r) => r.server === 'restarting' && r.method === 'initialize' && r.kind === 'request',
    );
    expect(initializes.map((r) => r.clientName)).toEqual(['stdio-only-app', 'stdio-only-app']);
    expect(new Set(initializes.map((r) => r.sessionId)).size).toBe(2);
  });

  it('renews a session the server answers with 404, as the spec says it must', async () => {
    // An SDK server in this process: "restarting" it swaps in a handler that knows no sessions.
    let handle = createMcpHandler({ json: true });
    const server = await listenOnFreePort((req, res) => handle(req, res));
    await gw.register('spec-404', { type: 'http', url: `${server.origin}/mcp` });
    const { client, transport } = stdioClient('spec-404', '--url', gw.url);
    await client.connect(transport);
    await client.callTool({ name: 'echo', arguments: { message: 'first' } });
    handle = createMcpHandler({ json: true });
    const result = await client.callTool({ name: 'echo', arguments: { message: 'second' } });
    expect(JSON.stringify(result)).toContain('second');
    await client.close();
    await server.stop();
    // The gateway's capture tells the story: the lost session, the new handshake, the call sent again.
    const records = await gw.records((r) => r.server === 'spec-404');
    const requests = records.filter((r) => r.kind === 'request');
    expect(requests.map((r) => `${r.httpStatus} ${r.summary}`)).toEqual([
      '200 initialize stdio-only-app 0.9.0 (protocol 2025-11-25)',
      '200 echo(message: first)',
      '404 echo(message: second)',
      '200 initialize stdio-only-app 0.9.0 (protocol 2025-11-25)',
      '200 echo(message: second)',
    ]);
    expect(records.map((r) => r.summary)).toContain('error -32001: Session not found');
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
