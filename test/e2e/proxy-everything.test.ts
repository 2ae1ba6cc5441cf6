import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCapturedExactlyOnce } from '../helpers/capture-assertions.js';
import { type RunningEverything, startEverythingBehindGateway } from '../helpers/everything.js';
import { progressScenario, samplingScenario, subscriptionScenario } from '../helpers/everything-scenarios.js';
import type { TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';

/** The proxy against the reference server, driven by the official SDK client, compared with direct access. */
describe('proxying server-everything over Streamable HTTP', () => {
  let everything: RunningEverything;
  let gw: TestGateway;

  let stop = async () => {};

  beforeAll(async () => {
    ({ everything, gw, stop } = await startEverythingBehindGateway());
  });

  afterAll(() => stop());

  it('gives the client what it gets directly: server info, tools, resources, prompts, tool results', async () => {
    const direct = await connectClient(everything.url);
    const proxied = await connectClient(gw.proxyUrl('everything'));
    try {
      expect(proxied.client.getServerVersion()).toEqual(direct.client.getServerVersion());
      expect(proxied.client.getServerCapabilities()).toEqual(direct.client.getServerCapabilities());
      expect(await proxied.client.listTools()).toEqual(await direct.client.listTools());
      expect(await proxied.client.listPrompts()).toEqual(await direct.client.listPrompts());
      expect(await proxied.client.listResources()).toEqual(await direct.client.listResources());
      const echo = { name: 'echo', arguments: { message: 'hello through the gateway' } };
      expect(await proxied.client.callTool(echo)).toEqual(await direct.client.callTool(echo));
      const sum = { name: 'get-sum', arguments: { a: 2, b: 40 } };
      expect(await proxied.client.callTool(sum)).toEqual(await direct.client.callTool(sum));
      const prompt = { name: 'args-prompt', arguments: { city: 'Paris', state: 'TX' } };
      expect(await proxied.client.getPrompt(prompt)).toEqual(await direct.client.getPrompt(prompt));
      const unknownTool = { name: 'no-such-tool', arguments: {} };
      expect(await proxied.client.callTool(unknownTool)).toEqual(await direct.client.callTool(unknownTool));
    } finally {
      await direct.close();
      await proxied.close();
    }
  });

  it('stores every message of a session exactly once, paired, timed and described', async () => {
    const proxied = await connectClient(gw.proxyUrl('everything'), 'capture-check');
    const sessionId = proxied.transport.sessionId as string;
    await proxied.client.listTools();
    await proxied.client.callTool({ name: 'echo', arguments: { message: 'hi' } });
    await proxied.close();
    const records = await gw.records((r) => r.sessionId === sessionId);
    expectCapturedExactlyOnce(records, proxied.transport, sessionId);

    const initialize = records.find((r) => r.kind === 'request' && r.method === 'initialize');
    const initialized = records.find((r) => r.kind === 'response' && r.method === 'initialize');
    expect(initialize?.clientName).toBe('capture-check');
    expect(initialize?.httpStatus).toBe(200);
    expect(initialized?.partnerId).toBe(initialize?.id);
    expect(initialized?.serverName).toBe('mcp-servers/everything');
    const call = records.find((r) => r.kind === 'request' && r.method === 'tools/call');
    const result = records.find((r) => r.kind === 'response' && r.method === 'tools/call');
    expect(call?.summary).toBe('echo(message: hi)');
    expect(result?.summary).toBe('Echo: hi');
    expect(result?.partnerId).toBe(call?.id);
    expect(result?.durationMs).toBeGreaterThan(0);
    expect(result?.transport).toBe('http-sse');
    expect(result?.tokens).toBeGreaterThan(0);
    expect(records.find((r) => r.kind === 'response' && r.method === 'tools/list')?.summary).toMatch(
      /^\d+ tools: echo/,
    );
    expect(records.some((r) => r.httpMethod === 'DELETE' && r.summary === 'DELETE session → 200')).toBe(true);
  });

  it('relays progress notifications as they happen and captures them', async () => {
    const records = await progressScenario(gw, gw.proxyUrl('everything'));
    expect(records.every((r) => r.transport === 'http-sse' && r.sseEventId !== null)).toBe(true);
  });

  it('carries sampling and elicitation round trips, and pairs the client answers with the server requests', async () => {
    const answers = await samplingScenario(gw, gw.proxyUrl('everything'));
    expect(answers.map((r) => r.httpStatus)).toEqual([202, 202]);
  });

  it('delivers resource updates on the GET stream and captures them there', async () => {
    const records = await subscriptionScenario(gw, gw.proxyUrl('everything'));
    expect(records[0]?.transport).toBe('http-get-sse');
  });
});
