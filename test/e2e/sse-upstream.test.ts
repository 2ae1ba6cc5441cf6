import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiJson } from '../helpers/api-json.js';
import { expectCapturedExactlyOnce } from '../helpers/capture-assertions.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { progressScenario } from '../helpers/everything-scenarios.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/stdio.js';

async function connectSse(url: string, name = 'legacy-client'): Promise<Client> {
  // The capabilities the Streamable HTTP test client declares: server-everything lists tools by them.
  const client = new Client(
    { name, version: '0.1.0' },
    { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } } },
  );
  await client.connect(new SSEClientTransport(new URL(url)));
  return client;
}

/**
 * server-everything speaking only the HTTP+SSE transport of MCP 2024-11-05, registered by URL alone
 * (`.../sse` is inferred as type "sse"), reached by today's Streamable HTTP clients and by legacy SSE clients.
 */
describe('a legacy HTTP+SSE server behind the gateway', () => {
  let everything: RunningEverything;
  let gw: TestGateway;

  beforeAll(async () => {
    everything = await startEverything(undefined, 'sse');
    gw = await startTestGateway({ healthInterval: 0, servers: { legacy: { url: everything.url } } });
  });

  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
  });

  it('is registered as type "sse" from its URL, and reported up by its stream', async () => {
    const response = await gw.api('/api/servers/config');
    expect(JSON.stringify(await response.json())).toContain('"type":"sse"');
    const checked = await apiJson<{ health: { state: string; detail: string } }>(
      gw,
      '/api/servers/legacy/health-check',
      200,
      { method: 'POST' },
    );
    expect(checked.health.state).toBe('up');
  });

  it('takes "type": "sse" through the REST API, and reports one registered as http with the fix', async () => {
    await gw.register('explicit', { type: 'sse', url: everything.url });
    await gw.register('mistyped', { type: 'http', url: everything.url });
    const explicit = await apiJson<{ health: { state: string } }>(
      gw,
      '/api/servers/explicit/health-check',
      200,
      {
        method: 'POST',
      },
    );
    expect(explicit.health.state).toBe('up');
    const mistyped = await apiJson<{ health: { state: string; detail: string } }>(
      gw,
      '/api/servers/mistyped/health-check',
      200,
      { method: 'POST' },
    );
    expect(mistyped.health.state).toBe('error');
    expect(mistyped.health.detail).toContain('"type": "sse"');
    const client = await connectClient(gw.proxyUrl('explicit'));
    expect(
      JSON.stringify(await client.client.callTool({ name: 'echo', arguments: { message: 'rest' } })),
    ).toContain('Echo: rest');
    await client.close();
  });

  it('serves a Streamable HTTP client what a direct SSE client gets, and captures both directions', async () => {
    const direct = await connectSse(everything.url);
    const proxied = await connectClient(gw.proxyUrl('legacy'), 'bridged-client');
    try {
      expect(proxied.client.getServerVersion()).toEqual(direct.getServerVersion());
      expect(await proxied.client.listTools()).toEqual(await direct.listTools());
      const echo = { name: 'echo', arguments: { message: 'hello, 2024 server' } };
      expect(await proxied.client.callTool(echo)).toEqual(await direct.callTool(echo));
    } finally {
      await direct.close();
    }
    const sessionId = proxied.transport.sessionId as string;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // server-everything asks for roots 350 ms after initialize: let that round trip land before closing.
    await waitFor('the client to answer roots/list', async () => {
      const answers = await gw.records(
        (r) => r.sessionId === sessionId && r.method === 'roots/list' && r.direction === 'client_to_server',
      );
      return answers.length > 0;
    });
    await proxied.close();
    const records = await gw.records((r) => r.server === 'legacy' && r.sessionId === sessionId);
    expectCapturedExactlyOnce(records, proxied.transport, sessionId);
    const call = records.find((r) => r.kind === 'request' && r.method === 'tools/call');
    const result = records.find((r) => r.kind === 'response' && r.method === 'tools/call');
    expect(call?.direction).toBe('client_to_server');
    expect(call?.summary).toBe('echo(message: hello, 2024 server)');
    expect(result?.direction).toBe('server_to_client');
    expect(result?.summary).toBe('Echo: hello, 2024 server');
    expect(result?.partnerId).toBe(call?.id);
    expect(records.find((r) => r.kind === 'response' && r.method === 'initialize')?.serverName).toBe(
      'mcp-servers/everything',
    );
    expect(call?.clientName).toBe('bridged-client');
  });

  it('relays progress notifications to the request they belong to', async () => {
    await progressScenario(gw, gw.proxyUrl('legacy'));
  });

  it("carries the server's sampling and elicitation requests and pairs the client's answers", async () => {
    const proxied = await connectClient(gw.proxyUrl('legacy'));
    const sampled = await proxied.client.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'Say hi', maxTokens: 20 },
    });
    expect(JSON.stringify(sampled)).toContain('sampled reply to 1 message(s)');
    const elicited = await proxied.client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    expect(JSON.stringify(elicited)).toContain('Ada Lovelace');
    const sessionId = proxied.transport.sessionId as string;
    await proxied.close();
    const records = await gw.records((r) => r.sessionId === sessionId);
    for (const method of ['sampling/createMessage', 'elicitation/create']) {
      const request = records.find((r) => r.method === method && r.kind === 'request');
      const answer = records.find((r) => r.method === method && r.kind === 'response');
      expect(request?.direction).toBe('server_to_client');
      expect(answer?.direction).toBe('client_to_server');
      expect(answer?.partnerId).toBe(request?.id);
    }
  });

  it('keeps two clients apart: each session has its own upstream stream, same ids never mix', async () => {
    const [a, b] = await Promise.all([
      connectClient(gw.proxyUrl('legacy'), 'client-a'),
      connectClient(gw.proxyUrl('legacy'), 'client-b'),
    ]);
    try {
      const [ra, rb] = await Promise.all([
        a.client.callTool({ name: 'echo', arguments: { message: 'from a' } }),
        b.client.callTool({ name: 'echo', arguments: { message: 'from b' } }),
      ]);
      expect(JSON.stringify(ra)).toContain('from a');
      expect(JSON.stringify(rb)).toContain('from b');
      expect(a.transport.sessionId).not.toBe(b.transport.sessionId);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('serves legacy SSE clients at /s/<name>/sse, with the endpoint pointing back through the gateway', async () => {
    const direct = await connectSse(everything.url);
    const legacy = await connectSse(`${gw.url}/s/legacy/sse`, 'sse-through-gateway');
    try {
      expect(await legacy.listTools()).toEqual(await direct.listTools());
      const echo = { name: 'echo', arguments: { message: 'old-style' } };
      expect(await legacy.callTool(echo)).toEqual(await direct.callTool(echo));
    } finally {
      await direct.close();
      await legacy.close();
    }
    const records = await gw.records(
      (r) => r.server === 'legacy' && r.summary === 'echo(message: old-style)',
    );
    expect(records).toHaveLength(1);
    const session = records[0]?.sessionId ?? null;
    expect(session).not.toBeNull();
    const all = await gw.records((r) => r.sessionId === session);
    const endpoint = all.find((r) => r.sseEventType === 'endpoint');
    expect(endpoint?.message).toBe(`/s/legacy/message?sessionId=${session}`);
    const answer = all.find((r) => r.kind === 'response' && r.summary === 'Echo: old-style');
    expect(answer?.direction).toBe('server_to_client');
    expect(answer?.partnerId).toBe(records[0]?.id);
    // The initialize answer arrives on the stream, not with its POST: the session still knows its client.
    expect(answer?.clientName).toBe('sse-through-gateway');
    expect(answer?.serverName).toBe('mcp-servers/everything');
  });

  it('ends the session when the server closes its stream: the client is told to start a new one', async () => {
    const restarting = await startEverything(undefined, 'sse');
    await gw.register('restarting', { type: 'sse', url: restarting.url });
    const client = await connectClient(gw.proxyUrl('restarting'));
    let stopped = false;
    try {
      await client.client.callTool({ name: 'echo', arguments: { message: 'before' } });
      await restarting.stop();
      stopped = true;
      await waitFor('the session to end', async () => {
        const response = await fetch(gw.proxyUrl('restarting'), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-session-id': client.transport.sessionId as string,
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: 'probe', method: 'ping' }),
        });
        const text = await response.text();
        return response.status === 404 && text.includes('Start a new session with initialize');
      });
    } finally {
      await client.close();
      if (!stopped) await restarting.stop();
    }
  });

  it('answers a client with a clear 502 when the legacy server is down, on both paths', async () => {
    await gw.register('gone', { type: 'sse', url: `http://127.0.0.1:${await freePort()}/sse` });
    const initialize = await fetch(gw.proxyUrl('gone'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      }),
    });
    expect(initialize.status).toBe(502);
    const answer = (await initialize.json()) as { id: number; error: { message: string } };
    expect(answer.id).toBe(1);
    expect(answer.error.message).toContain('connection refused');
    const stream = await fetch(`${gw.url}/s/gone/sse`, { headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(502);
    expect(((await stream.json()) as { error: { message: string } }).error.message).toContain(
      'connection refused',
    );
  });

  it("refuses an endpoint on another origin: the server's credentials go nowhere else", async () => {
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: endpoint\ndata: http://127.0.0.2:9/message?sessionId=x\n\n');
      req.on('close', () => res.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      await gw.register('elsewhere', {
        type: 'sse',
        url: `http://127.0.0.1:${port}/sse`,
        headers: { authorization: 'Bearer secret' },
      });
      const stream = await fetch(`${gw.url}/s/elsewhere/sse`, { headers: { accept: 'text/event-stream' } });
      expect(stream.status).toBe(502);
      expect(((await stream.json()) as { error: { message: string } }).error.message).toContain(
        'named an endpoint on another origin (http://127.0.0.2:9)',
      );
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('tells a legacy SSE client of an unknown server what is registered', async () => {
    const unknown = await fetch(`${gw.url}/s/nope/sse`, { headers: { accept: 'text/event-stream' } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain(
      'Unknown server "nope"',
    );
  });
});
