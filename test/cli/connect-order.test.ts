import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformanceServer, type TargetServer } from '../fixtures/conformance-paths.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { cliCommand } from '../helpers/stdio.js';

/**
 * `connect` relays the stdio client's messages in the order it sent them. A server that elicits from
 * inside a tool call, on its GET stream (as the MCP conformance suite's servers do), needs that stream
 * open when the call arrives; the SDK opens it right after `notifications/initialized`, so a tool call
 * sent at once after connecting must not overtake that notification. It did: the elicitation went out on
 * no stream, and the call waited until the client gave up.
 */
describe('mcp-gateway connect keeps the order of the client messages', () => {
  let gw: TestGateway;
  let server: TargetServer;

  beforeAll(async () => {
    [gw, server] = await Promise.all([startTestGateway(), startConformanceServer()]);
    await gw.register('elicits', { type: 'http', url: server.url });
  }, 60_000);

  afterAll(async () => {
    await gw?.stop();
    await server?.stop();
  });

  it('answers an elicitation a tool call makes at once after connecting', async () => {
    const client = new Client({ name: 'stdio-app', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { response: 'yes' } };
    });
    const { command, args } = cliCommand('connect', 'elicits', '--url', gw.url);
    await client.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
    try {
      const result = await client.callTool(
        { name: 'test_elicitation', arguments: { message: 'Proceed?' } },
        undefined,
        { timeout: 15_000 },
      );
      expect(asked).toEqual(['Proceed?']);
      expect(result.content).toEqual([
        { type: 'text', text: 'User response: action=accept, content={"response":"yes"}' },
      ]);
    } finally {
      await client.close();
    }
    const sent = await gw.records((r) => r.server === 'elicits' && r.direction === 'client_to_server');
    const methods = sent.map((r) => r.method).filter((m) => m !== 'ping' && m !== 'server/discover');
    expect(methods.indexOf('notifications/initialized')).toBeLessThan(methods.indexOf('tools/call'));
  }, 40_000);
});
