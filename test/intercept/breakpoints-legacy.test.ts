import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { type CallToolResult, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { intercepts } from '../helpers/intercepts.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';

/**
 * Breakpoints on a legacy HTTP+SSE server (MCP 2024-11-05, "HTTP with SSE"): server-everything in its sse
 * mode, reached by a client of the same transport (the gateway relays its stream event by event) and by a
 * Streamable HTTP client (the gateway bridges). Answers and server requests arrive on the server's stream,
 * not on the POST that asked, so they are held there.
 */

let everything: RunningEverything;
let gw: TestGateway;

beforeAll(async () => {
  everything = await startEverything(undefined, 'sse');
  gw = await startTestGateway({ healthInterval: 0, servers: { old: { type: 'sse', url: everything.url } } });
}, 60_000);

afterAll(async () => {
  await gw?.stop();
  await everything?.stop();
});

const { addRule, removeAllRules, held, release } = intercepts(() => gw);

afterEach(removeAllRules);

/** A client of the old transport that answers elicitation as a host would. */
async function legacyClient(name: string): Promise<{ client: Client; close(): Promise<void> }> {
  const client = new Client({ name, version: '0.1.0' }, { capabilities: HOST_WITHOUT_ROOTS });
  client.setRequestHandler(ElicitRequestSchema, async () => ({
    action: 'accept',
    content: { name: 'Ada Lovelace' },
  }));
  await client.connect(new SSEClientTransport(new URL(`${gw.url}/s/old/sse`)));
  return { client, close: () => client.close() };
}

async function streamableClient(name: string): Promise<{ client: Client; close(): Promise<void> }> {
  return connectClient(gw.proxyUrl('old'), name, HOST_WITHOUT_ROOTS);
}

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

describe.each([
  { how: 'an HTTP+SSE client (relayed)', connect: legacyClient, marked: true },
  { how: 'a Streamable HTTP client (bridged)', connect: streamableClient, marked: false },
])('breakpoints on a legacy SSE server, for $how', ({ connect, marked }) => {
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ client, close } = await connect('legacy-bp'));
  });
  afterAll(async () => {
    await close?.();
  });
  const echo = (message: string) => client.callTool({ name: 'echo', arguments: { message } });

  it('holds a tools/call on its way to the server and forwards it edited', async () => {
    await addRule({ filter: 'server:old method:tools/call tool:echo', direction: 'c2s' });
    const answer = echo('original');
    const call = await held();
    expect(call).toMatchObject({ direction: 'client_to_server', kind: 'request', method: 'tools/call' });
    const edited = { ...call.message, params: { name: 'echo', arguments: { message: 'edited' } } };
    expect((await release(call.id, 'forward', { message: edited })).status).toBe(200);
    expect(text(await answer)).toBe('Echo: edited');
  });

  it('holds the answer on the server’s stream, knowing the method it answers, and forwards it edited', async () => {
    await addRule({ filter: 'server:old method:tools/call kind:response', direction: 's2c' });
    const answer = echo('from the server');
    const back = await held();
    expect(back).toMatchObject({ direction: 'server_to_client', kind: 'response', method: 'tools/call' });
    const edited = {
      ...back.message,
      result: { content: [{ type: 'text', text: 'changed on its way back' }] },
    };
    expect((await release(back.id, 'forward', { message: edited })).status).toBe(200);
    expect(text(await answer)).toBe('changed on its way back');
    const records = await gw.records(
      (r) => r.server === 'old' && r.message.includes('changed on its way back'),
    );
    expect(records.length).toBeGreaterThan(0);
    if (marked) expect(records.some((r) => r.origin === 'edited')).toBe(true);
  });

  it('drops a held answer: the client gets the gateway’s JSON-RPC error instead of waiting forever', async () => {
    await addRule({ filter: 'server:old method:tools/call kind:response', direction: 's2c' });
    const answer = echo('to drop').then(
      () => 'answered',
      (error: Error) => error.message,
    );
    const back = await held();
    expect((await release(back.id, 'drop')).status).toBe(200);
    expect(await answer).toMatch(/gateway dropped this message/);
  });

  it('answers the server’s elicitation in the client’s place; the client is never asked', async () => {
    await addRule({ filter: 'server:old method:elicitation/create', direction: 's2c' });
    const answer = client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    const ask = await held();
    expect(ask).toMatchObject({
      direction: 'server_to_client',
      kind: 'request',
      method: 'elicitation/create',
    });
    const reply = { result: { action: 'accept', content: { name: 'Grace Hopper' } } };
    expect((await release(ask.id, 'reply', { message: reply })).status).toBe(200);
    const result = JSON.stringify(await answer);
    expect(result).toContain('Grace Hopper');
    expect(result).not.toContain('Ada Lovelace');
    const injected = await gw.records(
      (r) => r.server === 'old' && r.origin === 'injected' && r.direction === 'client_to_server',
    );
    expect(injected.some((r) => r.message.includes('Grace Hopper'))).toBe(true);
  });
});
