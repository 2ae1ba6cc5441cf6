import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, ProtocolError } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startV2Server, type V2Server } from '../fixtures/sdk-v2-server.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { cliCommand } from '../helpers/stdio.js';

/** An SDK v2 client pinned to MCP 2026-07-28, launching `mcp-gateway connect <name>` as its server. */
function modernClient(name: string, gatewayUrl: string) {
  const { command, args } = cliCommand('connect', name, '--url', gatewayUrl);
  const client = new Client(
    { name: 'modern-stdio-app', version: '3.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  return { client, transport: new StdioClientTransport({ command, args, stderr: 'pipe' }) };
}

const MISMATCH = {
  code: -32020,
  message: "Header mismatch: Mcp-Name header value 'foo' does not match body value 'bar'",
  data: { mismatch: { header: 'Mcp-Name', body: 'bar' } },
};

/** A 2026 server that refuses every tools/call with HeaderMismatch, as a strict server would. */
async function refusingServer(delegate: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const message = JSON.parse(body) as { id?: unknown; method?: string };
      if (message.method !== 'tools/call') {
        // Everything else is answered by a real 2026 server.
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([n, v]) => typeof v === 'string' && n !== 'host'),
        ) as Record<string, string>;
        const answer = await fetch(delegate, { method: 'POST', headers, body });
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
        });
        res.end(Buffer.from(await answer.arrayBuffer()));
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, error: MISMATCH }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server };
}

describe('mcp-gateway connect speaks MCP 2026-07-28', { timeout: 60_000 }, () => {
  let modern: V2Server;
  let refusing: { url: string; server: Server };
  let gw: TestGateway;

  beforeAll(async () => {
    modern = await startV2Server('reject');
    refusing = await refusingServer(modern.url);
    gw = await startTestGateway({
      healthInterval: 0,
      servers: {
        modern: { type: 'http', url: modern.url },
        strict: { type: 'http', url: refusing.url },
      },
    });
  });

  afterAll(async () => {
    await gw?.stop();
    refusing?.server.close();
    await modern?.stop();
  });

  it('gives a v2 client a 2026-only server, with the request headers the spec requires', async () => {
    const { client, transport } = modernClient('modern', gw.url);
    await client.connect(transport);
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name).sort()).toEqual(['echo', 'weather']);
      const echo = await client.callTool({ name: 'echo', arguments: { message: 'over stdio, then 2026' } });
      expect(echo.content).toEqual([{ type: 'text', text: 'Echo: over stdio, then 2026' }]);
      const weather = await client.callTool({
        name: 'weather',
        arguments: { region: 'Zürich-Nord', city: 'Zürich' },
      });
      expect(weather.content).toEqual([{ type: 'text', text: 'Sunny in Zürich (Zürich-Nord)' }]);
    } finally {
      await client.close();
    }
    const call = modern.received.find((r) => r.body.includes('"weather"') && r.body.includes('tools/call'));
    expect(call?.headers['mcp-protocol-version']).toBe('2026-07-28');
    expect(call?.headers['mcp-method']).toBe('tools/call');
    expect(call?.headers['mcp-name']).toBe('weather');
    expect(call?.headers['mcp-param-region']).toBe(
      `=?base64?${Buffer.from('Zürich-Nord').toString('base64')}?=`,
    );
    const records = await gw.records((r) => r.server === 'modern' && r.method === 'tools/call');
    expect(records.filter((r) => r.kind === 'response')).toHaveLength(2);
  });

  it("hands the client the upstream's JSON-RPC error unchanged: code, message and data", async () => {
    const { client, transport } = modernClient('strict', gw.url);
    await client.connect(transport);
    try {
      const failure = await client.callTool({ name: 'echo', arguments: { message: 'refused' } }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ProtocolError);
      expect((failure as ProtocolError).code).toBe(MISMATCH.code);
      expect((failure as ProtocolError).message).toContain(MISMATCH.message);
      expect((failure as ProtocolError).data).toEqual(MISMATCH.data);
    } finally {
      await client.close();
    }
  });
});
