import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMcpEndpoint } from '../../src/health/probe.js';
import { startV2Server, type V2Server } from '../fixtures/sdk-v2-server.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';

/** What a 2026-only server answers to `ping`: 400 with JSON-RPC error -32022 (unsupported version). */
async function refusesEverything(): Promise<{ url: string; server: Server }> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 'mcp-gateway-health',
    error: { code: -32022, message: 'Unsupported protocol version', data: { supported: ['2099-01-01'] } },
  });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(400, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server };
}

describe('health checks by protocol era', () => {
  let modern: V2Server;
  let dual: V2Server;
  let everything: RunningEverything;
  let legacySse: RunningEverything;
  let refusing: { url: string; server: Server };

  beforeAll(async () => {
    [modern, dual, everything, legacySse, refusing] = await Promise.all([
      startV2Server('reject'),
      startV2Server('stateless'),
      startEverything(),
      startEverything(undefined, 'sse'),
      refusesEverything(),
    ]);
  });

  afterAll(async () => {
    await Promise.all([modern?.stop(), dual?.stop(), everything?.stop(), legacySse?.stop()]);
    refusing?.server.close();
  });

  it('reports a 2026-only server up because it answered server/discover', async () => {
    const result = await probeMcpEndpoint({ url: new URL(modern.url), headers: {} });
    expect(result).toMatchObject({ state: 'up', httpStatus: 200 });
    expect(result.detail).toBe('answered server/discover (MCP 2026-07-28)');
    const discover = modern.received.find((r) => r.body.includes('server/discover'));
    expect(discover?.headers['mcp-protocol-version']).toBe('2026-07-28');
    expect(discover?.headers['mcp-method']).toBe('server/discover');
    expect(modern.received.some((r) => r.body.includes('"ping"'))).toBe(false);
  });

  it('reports a dual-era server up by server/discover too', async () => {
    const result = await probeMcpEndpoint({ url: new URL(dual.url), headers: {} });
    expect(result.state).toBe('up');
    expect(result.detail).toContain('server/discover');
  });

  it('reports a 2025 server up because it answered ping in the session it made', async () => {
    const result = await probeMcpEndpoint({ url: new URL(everything.url), headers: {} });
    expect(result).toMatchObject({ state: 'up', httpStatus: 200 });
    expect(result.detail).toMatch(/^answered ping \(MCP 2025-/);
  });

  it('does not call an endpoint up that answers only with a JSON-RPC error and a 400', async () => {
    const result = await probeMcpEndpoint({ url: new URL(refusing.url), headers: {} });
    expect(result.state).toBe('error');
    expect(result.httpStatus).toBe(400);
    expect(result.detail).toContain('-32022');
  });

  it('reports a legacy HTTP+SSE server up by the endpoint event of its stream', async () => {
    const result = await probeMcpEndpoint({ url: new URL(legacySse.url), headers: {}, transport: 'sse' });
    expect(result.state).toBe('up');
    expect(result.detail).toContain('/message?sessionId=');
  });

  it('tells the owner to register a legacy HTTP+SSE server as "sse" rather than reporting it not found', async () => {
    const result = await probeMcpEndpoint({ url: new URL(legacySse.url), headers: {} });
    expect(result.state).toBe('error');
    expect(result.detail).toContain('register it with "type": "sse"');
  });

  it('reports a Streamable HTTP server registered as "sse" clearly', async () => {
    const result = await probeMcpEndpoint({ url: new URL(modern.url), headers: {}, transport: 'sse' });
    expect(result.state).toBe('error');
    expect(result.detail).toContain('"type": "http"');
  });
});
