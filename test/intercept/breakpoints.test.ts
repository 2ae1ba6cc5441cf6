import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { intercepts } from '../helpers/intercepts.js';
import { type ConnectedClient, connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';

/**
 * Breakpoints end to end: the official SDK client calls server-everything through the gateway, over HTTP
 * ("web") and over stdio ("local"); rules set with the REST API hold its messages, which are then
 * forwarded, edited, dropped, answered or left to time out.
 */

let everything: RunningEverything;
let gw: TestGateway;

beforeAll(async () => {
  everything = await startEverything();
  gw = await startTestGateway({
    healthInterval: 0,
    servers: {
      web: { type: 'http', url: everything.url },
      local: stdioServers.everything(),
    },
  });
}, 60_000);

afterAll(async () => {
  await gw?.stop();
  await everything?.stop();
});

const { addRule, removeAllRules, held: heldOf, release } = intercepts(() => gw);

afterEach(removeAllRules);

// biome-ignore lint/suspicious/noExplicitAny: test answers are read as loosely as a script would
const json = async (response: Response): Promise<{ status: number; body: any }> => ({
  status: response.status,
  body: await response.json(),
});

const echo = (client: ConnectedClient, message: string) =>
  client.client.callTool({ name: 'echo', arguments: { message } }) as Promise<CallToolResult>;

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

describe.each(['web', 'local'])('breakpoints on the %s server', (server) => {
  let client: ConnectedClient;
  beforeAll(async () => {
    client = await connectClient(gw.proxyUrl(server), `bp-${server}`, HOST_WITHOUT_ROOTS);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('leaves traffic untouched when nothing is armed', async () => {
    expect(text(await echo(client, 'plain'))).toBe('Echo: plain');
    const records = await gw.records((r) => r.server === server && r.message.includes('plain'));
    expect(records.length).toBeGreaterThanOrEqual(2);
    expect(records.every((r) => r.origin === null)).toBe(true);
  });

  it('holds a tools/call, and forwards it edited: the client gets the answer to the edited call', async () => {
    await addRule({ filter: `server:${server} method:tools/call tool:echo`, direction: 'c2s' });
    const answer = echo(client, 'original');
    const held = await heldOf(server);
    expect(held).toMatchObject({ direction: 'client_to_server', kind: 'request', method: 'tools/call' });
    expect((held.message.params as { arguments: unknown }).arguments).toEqual({ message: 'original' });
    const edited = { ...held.message, params: { name: 'echo', arguments: { message: 'edited' } } };
    expect((await release(held.id, 'forward', { message: edited })).status).toBe(200);
    expect(text(await answer)).toBe('Echo: edited');
    const records = await gw.records((r) => r.server === server && r.method === 'tools/call');
    const request = records.find((r) => r.kind === 'request' && r.message.includes('edited'));
    expect(request?.origin).toBe('edited');
    expect(records.some((r) => r.message.includes('"original"'))).toBe(false);
  });

  it('drops a held call: the client gets a JSON-RPC error saying the gateway dropped it', async () => {
    await addRule({ filter: `server:${server} tool:echo` });
    const answer = echo(client, 'to drop').then(
      () => 'answered',
      (error: Error) => error.message,
    );
    const held = await heldOf(server);
    expect((await release(held.id, 'drop')).status).toBe(200);
    expect(await answer).toMatch(/gateway dropped this message/);
    const records = await gw.records((r) => r.server === server && r.origin === 'injected');
    expect(records.some((r) => r.kind === 'error' && (r.errorMessage ?? '').includes('dropped'))).toBe(true);
  });

  it('answers a held call in the server’s place with a crafted response', async () => {
    await addRule({ filter: `server:${server} tool:echo` });
    const answer = echo(client, 'to answer');
    const held = await heldOf(server);
    const crafted = { result: { content: [{ type: 'text', text: 'crafted by a person' }] } };
    expect((await release(held.id, 'reply', { message: crafted })).status).toBe(200);
    expect(text(await answer)).toBe('crafted by a person');
  });

  it('forwards a held call when its timeout runs out (onTimeout forward)', async () => {
    await addRule({ filter: `server:${server} tool:echo`, timeoutMs: 300, onTimeout: 'forward' });
    const started = Date.now();
    expect(text(await echo(client, 'late'))).toBe('Echo: late');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('fails a held call when its timeout runs out (onTimeout fail)', async () => {
    await addRule({ filter: `server:${server} tool:echo`, timeoutMs: 300, onTimeout: 'fail' });
    await expect(echo(client, 'never')).rejects.toThrow(/timeout of 0.3 s/);
  });

  it('holds what the server sends back, and forwards it edited', async () => {
    await addRule({ filter: `server:${server} method:tools/call kind:response`, direction: 's2c' });
    const answer = echo(client, 'from the server');
    const held = await heldOf(server);
    expect(held).toMatchObject({ direction: 'server_to_client', kind: 'response', method: 'tools/call' });
    const edited = {
      ...held.message,
      result: { content: [{ type: 'text', text: 'changed on its way back' }] },
    };
    expect((await release(held.id, 'forward', { message: edited })).status).toBe(200);
    expect(text(await answer)).toBe('changed on its way back');
    const records = await gw.records(
      (r) => r.server === server && r.origin === 'edited' && r.kind === 'response',
    );
    expect(records.some((r) => r.message.includes('changed on its way back'))).toBe(true);
  });
});

describe.each(['web', 'local'])('a request of the %s server held on its way to the client', (server) => {
  it('is answered in the client’s place: the server gets the reply, the client is never asked', async () => {
    const client = await connectClient(gw.proxyUrl(server), `elicited-${server}`, HOST_WITHOUT_ROOTS);
    try {
      await addRule({ filter: `server:${server} method:elicitation/create`, direction: 's2c' });
      const answer = client.client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
      const held = await heldOf(server);
      expect(held).toMatchObject({
        direction: 'server_to_client',
        kind: 'request',
        method: 'elicitation/create',
      });
      const reply = { result: { action: 'accept', content: { name: 'Grace Hopper' } } };
      expect((await release(held.id, 'reply', { message: reply })).status).toBe(200);
      const result = JSON.stringify(await answer);
      // The test client would have answered "Ada Lovelace" (test/helpers/mcp-client.ts).
      expect(result).toContain('Grace Hopper');
      expect(result).not.toContain('Ada Lovelace');
      const injected = await gw.records(
        (r) => r.server === server && r.origin === 'injected' && r.direction === 'client_to_server',
      );
      expect(injected.some((r) => r.message.includes('Grace Hopper'))).toBe(true);
    } finally {
      await client.close();
    }
  });
});

describe('breakpoint rules', () => {
  it('refuse fields a message in flight does not have, naming the field', async () => {
    const { status, body } = await json(
      await gw.api('/api/intercepts', {
        method: 'POST',
        body: JSON.stringify({ filter: 'method:tools/call duration>1s' }),
      }),
    );
    expect(status).toBe(400);
    expect(body.error).toMatch(/^duration cannot be used in a rule/);
  });

  it('refuse a bad filter, direction, timeout or onTimeout with what to write instead', async () => {
    for (const [rule, says] of [
      [{ filter: 'methd:tools/call' }, /did you mean "method"/],
      [{}, /"filter" must be a filter/],
      [{ filter: 'tool:x', direction: 'up' }, /"direction" must be client_to_server/],
      [{ filter: 'tool:x', timeoutMs: 5 }, /"timeoutMs" must be a whole number/],
      [{ filter: 'tool:x', onTimeout: 'later' }, /"onTimeout" must be "forward"/],
    ] as const) {
      const { status, body } = await json(
        await gw.api('/api/intercepts', { method: 'POST', body: JSON.stringify(rule) }),
      );
      expect(status).toBe(400);
      expect(body.error).toMatch(says);
    }
  });

  it('are capped: past the most the gateway keeps, adding one is refused', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await addRule({ filter: `tool:t${i}` }));
    const { status, body } = await json(
      await gw.api('/api/intercepts', { method: 'POST', body: JSON.stringify({ filter: 'tool:one-more' }) }),
    );
    expect(status).toBe(409);
    expect(body.error).toMatch(/already 100 breakpoint rules/);
  });

  it('say when a held message is no longer held', async () => {
    const { status, body } = await json(await release(999_999, 'forward'));
    expect(status).toBe(404);
    expect(body.error).toMatch(/No held message 999999/);
  });
});
