import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCapturedExactlyOnce } from '../helpers/capture-assertions.js';
import { progressScenario, samplingScenario, subscriptionScenario } from '../helpers/everything-scenarios.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import {
  type ConnectedClient,
  connectClient,
  HOST_CAPABILITIES,
  HOST_WITHOUT_ROOTS,
} from '../helpers/mcp-client.js';
import { everythingCommand, stdioServers } from '../helpers/stdio.js';

/**
 * The reference server over stdio, behind the gateway, driven by the SDK client over Streamable HTTP. In
 * shared mode, clients without roots share one process; a client with roots gets one of its own.
 */
describe.each([
  { sessionMode: 'shared', clients: 'without roots', capabilities: HOST_WITHOUT_ROOTS },
  { sessionMode: 'shared', clients: 'with roots', capabilities: HOST_CAPABILITIES },
  { sessionMode: 'isolated', clients: 'with roots', capabilities: HOST_CAPABILITIES },
] as const)(
  'server-everything over stdio, $sessionMode mode, clients $clients',
  ({ sessionMode, capabilities }) => {
    let gw: TestGateway;

    beforeAll(async () => {
      gw = await startTestGateway({ servers: { everything: stdioServers.everything({ sessionMode }) } });
    });

    afterAll(async () => {
      await gw?.stop();
    });

    it('gives the client what it gets over direct stdio: server info, tools, resources, prompts, results', async () => {
      const direct = new Client({ name: 'direct', version: '1.0.0' }, { capabilities });
      await direct.connect(new StdioClientTransport({ ...everythingCommand, stderr: 'ignore' }));
      const proxied = await connectClient(gw.proxyUrl('everything'), 'test-client', capabilities);
      try {
        expect(proxied.client.getServerVersion()).toEqual(direct.getServerVersion());
        expect(proxied.client.getServerCapabilities()).toEqual(direct.getServerCapabilities());
        expect(proxied.client.getInstructions()).toEqual(direct.getInstructions());
        const names = (result: { tools: { name: string }[] }) => result.tools.map((t) => t.name).sort();
        expect(names(await proxied.client.listTools())).toEqual(names(await direct.listTools()));
        expect(await proxied.client.listPrompts()).toEqual(await direct.listPrompts());
        expect(await proxied.client.listResources()).toEqual(await direct.listResources());
        expect(await proxied.client.listResourceTemplates()).toEqual(await direct.listResourceTemplates());
        const uri = 'demo://resource/static/document/architecture.md';
        expect(await proxied.client.readResource({ uri })).toEqual(await direct.readResource({ uri }));
        const echo = { name: 'echo', arguments: { message: 'hello over stdio' } };
        expect(await proxied.client.callTool(echo)).toEqual(await direct.callTool(echo));
        const sum = { name: 'get-sum', arguments: { a: 2, b: 40 } };
        expect(await proxied.client.callTool(sum)).toEqual(await direct.callTool(sum));
        const prompt = { name: 'args-prompt', arguments: { city: 'Paris', state: 'TX' } };
        expect(await proxied.client.getPrompt(prompt)).toEqual(await direct.getPrompt(prompt));
        const unknownTool = { name: 'no-such-tool', arguments: {} };
        expect(await proxied.client.callTool(unknownTool)).toEqual(await direct.callTool(unknownTool));
      } finally {
        await direct.close();
        await proxied.close();
      }
    });

    it("stores every message of a session exactly once, with the client's own ids, paired and described", async () => {
      const proxied = await connectClient(gw.proxyUrl('everything'), 'capture-check', capabilities);
      const sessionId = proxied.transport.sessionId as string;
      await proxied.client.listTools();
      await proxied.client.callTool({ name: 'echo', arguments: { message: 'hi' } });
      await proxied.close();
      const records = await gw.records((r) => r.sessionId === sessionId && r.transport === 'stdio');
      expectCapturedExactlyOnce(records, proxied.transport, sessionId);

      const initialize = records.find((r) => r.kind === 'request' && r.method === 'initialize');
      const initialized = records.find((r) => r.kind === 'response' && r.method === 'initialize');
      expect(initialize?.clientName).toBe('capture-check');
      expect(initialized?.partnerId).toBe(initialize?.id);
      expect(initialized?.serverName).toBe('mcp-servers/everything');
      const call = records.find((r) => r.kind === 'request' && r.method === 'tools/call');
      const result = records.find((r) => r.kind === 'response' && r.method === 'tools/call');
      expect(call?.summary).toBe('echo(message: hi)');
      expect(call?.clientName).toBe('capture-check');
      expect(result?.summary).toBe('Echo: hi');
      expect(result?.partnerId).toBe(call?.id);
      expect(result?.tokens).toBeGreaterThan(0);
      const all = await gw.records((r) => r.sessionId === sessionId);
      expect(all.some((r) => r.httpMethod === 'DELETE' && r.summary === 'DELETE session → 200')).toBe(true);
    });

    it('relays progress notifications to the request that asked for them and captures them', async () => {
      const records = await progressScenario(gw, gw.proxyUrl('everything'), capabilities);
      expect(records.every((r) => r.transport === 'stdio')).toBe(true);
    });

    it('carries sampling and elicitation round trips, paired with the server requests', async () => {
      const answers = await samplingScenario(
        gw,
        gw.proxyUrl('everything'),
        (r) => r.transport === 'stdio',
        capabilities,
      );
      expect(answers.every((r) => r.transport === 'stdio')).toBe(true);
    });

    it('delivers resource updates to a subscribed session', async () => {
      await subscriptionScenario(gw, gw.proxyUrl('everything'), capabilities);
    });

    it('delivers log messages at the level the session asked for', async () => {
      const proxied: ConnectedClient = await connectClient(gw.proxyUrl('everything'), 'logs', capabilities);
      const logged = new Promise<string>((resolve) => {
        proxied.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) =>
          resolve(n.params.level),
        );
      });
      await proxied.client.setLoggingLevel('debug');
      await proxied.client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
      expect(await logged).toMatch(/debug|info|notice|warning|error|critical|alert|emergency/);
      await proxied.client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
      await proxied.close();
    });
  },
);
