import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OAuthUpstream, startOAuthUpstream } from '../fixtures/oauth-server.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { stdioServers } from '../helpers/stdio.js';
import { trustingFetch } from '../helpers/trusted-fetch.js';

/** The gateway over HTTPS with its own certificate, in front of server-everything over HTTP and stdio. */
describe('HTTPS with --tls self-signed', () => {
  let everything: RunningEverything;
  let oauth: OAuthUpstream;
  let gw: TestGateway;
  let trusted: typeof fetch;

  beforeAll(async () => {
    everything = await startEverything();
    oauth = await startOAuthUpstream();
    gw = await startTestGateway({
      tls: 'self-signed',
      healthInterval: 0,
      servers: {
        everything: { type: 'http', url: everything.url },
        local: stdioServers.everything(),
        secured: { type: 'http', url: oauth.url },
      },
    });
    trusted = trustingFetch(gw.gateway.tls?.cert ?? '');
  });

  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
    await oauth?.stop();
  });

  const api = (path: string, init: RequestInit = {}) =>
    trusted(`${gw.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(init.headers ?? {}) },
    });

  it('serves https://localhost:<port>, and a client that does not trust the certificate is refused', async () => {
    expect(gw.url).toMatch(/^https:\/\/localhost:\d+$/);
    await expect(fetch(`${gw.url}/api/status`)).rejects.toThrow();
  });

  it('answers a plain http:// request with the https address to use', async () => {
    const response = await fetch(`${gw.url.replace('https:', 'http:')}/s/everything/mcp`, { method: 'POST' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: `This gateway serves HTTPS only: use ${gw.url} instead of http:// (docs/tls.md).`,
    });
  });

  it('proxies the official SDK client to server-everything over HTTPS, captured as usual', async () => {
    const client = new Client({ name: 'tls-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${gw.url}/s/everything/mcp`), {
      fetch: trusted,
    });
    await client.connect(transport);
    const result = await client.callTool({ name: 'echo', arguments: { message: 'over tls' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: over tls' }]);
    await transport.terminateSession();
    await client.close();
    const calls = await gw.records(
      (r) => r.server === 'everything' && r.summary === 'echo(message: over tls)',
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]?.clientName).toBe('tls-client');
  });

  it('bridges a legacy HTTP+SSE client over HTTPS (the gateway trusts its own certificate on loopback)', async () => {
    const client = new Client({ name: 'old-sse-client', version: '0.1.0' });
    await client.connect(
      new SSEClientTransport(new URL(`${gw.url}/s/local/sse`), {
        fetch: trusted,
        eventSourceInit: { fetch: trusted },
      }),
    );
    const result = await client.callTool({ name: 'echo', arguments: { message: 'old over tls' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: old over tls' }]);
    await client.close();
  });

  it('hands out https proxy URLs and takes only its https origin', async () => {
    const servers = (await (await api('/api/servers/config')).json()) as { servers: { proxyUrl?: string }[] };
    expect(JSON.stringify(servers)).toContain(`"${gw.url}/s/everything/mcp"`);
    const own = await api('/api/session', { headers: { origin: gw.url } });
    expect(own.status).toBe(200);
    const plain = await api('/api/session', { headers: { origin: gw.url.replace('https:', 'http:') } });
    expect(plain.status).toBe(403);
  });

  it('points OAuth clients at its https metadata (WWW-Authenticate and RFC 9728 resource)', async () => {
    const challenge = await trusted(`${gw.url}/s/secured/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toContain(
      `resource_metadata="${gw.url}/.well-known/oauth-protected-resource/s/secured/mcp"`,
    );
    const prm = (await (
      await trusted(`${gw.url}/.well-known/oauth-protected-resource/s/secured/mcp`)
    ).json()) as Record<string, unknown>;
    expect(prm.resource).toBe(`${gw.url}/s/secured/mcp`);
    expect(prm.authorization_servers).toEqual([`${gw.url}/s/secured`]);
  });

  it("gives https links in the gateway's own MCP server", async () => {
    const client = new Client({ name: 'agent', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/gateway/mcp`), {
        fetch: trusted,
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } },
      }),
    );
    const listed = await client.callTool({ name: 'list_servers', arguments: {} });
    await client.close();
    expect(JSON.stringify(listed)).toContain(`${gw.url}/s/everything/mcp`);
    expect(JSON.stringify(listed)).not.toContain('http://localhost');
  });

  it('marks the UI session cookie Secure', async () => {
    const response = await trusted(`${gw.url}/ui?token=${TEST_TOKEN}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('set-cookie')).toMatch(
      /^mcp_gateway_session=[^;]+; HttpOnly; SameSite=Strict; Path=\/; Secure$/,
    );
  });

  it('works for a Node client given the certificate with NODE_EXTRA_CA_CERTS', async () => {
    const script = `
      import { Client } from '@modelcontextprotocol/sdk/client/index.js';
      import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
      const client = new Client({ name: 'extra-ca-client', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(process.argv[1])));
      const result = await client.callTool({ name: 'echo', arguments: { message: 'trusted' } });
      console.log(result.content[0].text);
      await client.close();
    `;
    const certPath = gw.gateway.tls?.certPath ?? '';
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', script, `${gw.url}/s/everything/mcp`],
      {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath },
        cwd: process.cwd(),
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.trim()).toBe('Echo: trusted');
  });
});
