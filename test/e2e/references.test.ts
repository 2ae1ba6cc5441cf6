// biome-ignore-all lint/suspicious/noTemplateCurlyInString: mcp.json references are written as ${...} in plain strings
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretStore } from '../../src/secrets/secret-store.js';
import { answerJson, type RawUpstream, startRawUpstream } from '../fixtures/raw-upstream.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';

const ping = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });
const post = (url: string, body: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body,
  });

async function eventually<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('references in mcp.json', () => {
  let gw: TestGateway | undefined;
  let upstream: RawUpstream | undefined;
  afterEach(async () => {
    await gw?.stop();
    await upstream?.stop();
    gw = upstream = undefined;
    delete process.env.GW_REF_TEST_PATH;
  });

  it('fills ${secret:NAME} and ${VAR} in at request time, and never writes them back filled in', async () => {
    upstream = await startRawUpstream((_req, res) => answerJson(res, { jsonrpc: '2.0', id: 1, result: {} }));
    const base = upstream.url.replace(/\/mcp$/, '');
    process.env.GW_REF_TEST_PATH = 'mcp';
    gw = await startTestGateway({
      servers: {
        api: {
          type: 'http',
          url: `${base}/\${GW_REF_TEST_PATH}`,
          headers: { Authorization: 'Bearer ${secret:API_TOKEN}', 'X-Team': '${GW_REF_TEST_TEAM:-blue}' },
        },
      },
    });
    // Set while the gateway runs: it reads the store again on the next request.
    new SecretStore({ storageDir: gw.storageDir }).set('API_TOKEN', 'tok-3f9a8b7c6d5e');

    const response = await post(gw.proxyUrl('api'), ping(1));
    expect(response.status).toBe(200);
    const seen = upstream.seen.at(-1);
    expect(seen?.url).toBe('/mcp');
    expect(seen?.headers.authorization).toBe('Bearer tok-3f9a8b7c6d5e');
    expect(seen?.headers['x-team']).toBe('blue');

    // The API shows the references as written, not the values and not a mask of them.
    const shown = (await (await gw.api('/api/servers/config/api')).json()) as Record<string, unknown>;
    expect(shown.headers).toEqual({
      Authorization: 'Bearer ${secret:API_TOKEN}',
      'X-Team': '${GW_REF_TEST_TEAM:-blue}',
    });
    // An edit through the API sends the shown entry back with one change; mcp.json keeps the references.
    const edited = await gw.api('/api/servers/config/api', {
      method: 'PUT',
      body: JSON.stringify({ type: 'http', url: shown.url, headers: shown.headers, timeout: 20_000 }),
    });
    expect(edited.status).toBe(200);
    const file = readFileSync(join(gw.storageDir, 'mcp.json'), 'utf8');
    expect(file).toContain('Bearer ${secret:API_TOKEN}');
    expect(file).toContain('/${GW_REF_TEST_PATH}');
    expect(file).not.toContain('tok-3f9a8b7c6d5e');
    expect(readFileSync(join(gw.storageDir, 'secrets.json'), 'utf8')).not.toContain('tok-3f9a8b7c6d5e');
  });

  it('puts a server whose env var is missing in a clear error state, and answers its clients 503', async () => {
    upstream = await startRawUpstream((_req, res) => answerJson(res, { jsonrpc: '2.0', id: 1, result: {} }));
    gw = await startTestGateway({
      servers: {
        github: { type: 'http', url: upstream.url, headers: { Authorization: 'Bearer ${GW_REF_MISSING}' } },
      },
    });
    const response = await post(gw.proxyUrl('github'), ping(7));
    expect(response.status).toBe(503);
    const body = (await response.json()) as { id: number; error: { message: string } };
    expect(body.id).toBe(7);
    expect(body.error.message).toContain('env var GW_REF_MISSING is not set');
    expect(upstream.seen).toHaveLength(0);

    const status = (await (await gw.api('/api/servers/github/status')).json()) as Record<string, unknown>;
    expect(status.state).toBe('misconfigured');
    expect(status.lastError).toContain('env var GW_REF_MISSING is not set');
    const servers = await eventually(
      async () =>
        (await (await gw?.api('/api/servers'))?.json()) as {
          data: { name: string; health: { state: string } }[];
        },
      (value) => value.data.some((s) => s.health.state === 'misconfigured'),
    );
    expect(servers.data.find((s) => s.name === 'github')?.health.state).toBe('misconfigured');
    expect(gw.messages.join('\n')).toContain(
      'server github is misconfigured: headers.Authorization: env var GW_REF_MISSING is not set',
    );
  });

  it('gives a stdio server the values of the references in its env, and never stores them when it echoes them', async () => {
    gw = await startTestGateway({
      servers: {
        everything: stdioServers.everything({
          env: { SERVICE_TOKEN: '${secret:SERVICE_TOKEN}', REGION: '${env:GW_REF_REGION}' },
        }),
      },
    });
    const missing = await post(gw.proxyUrl('everything'), ping(1));
    expect(missing.status).toBe(503);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain(
      'secret SERVICE_TOKEN is not set',
    );
    process.env.GW_REF_REGION = 'eu-west';
    new SecretStore({ storageDir: gw.storageDir }).set('SERVICE_TOKEN', 'svc-81f0e2d3c4b5');
    const client = await connectClient(gw.proxyUrl('everything'));
    try {
      const result = (await client.client.callTool({ name: 'get-env', arguments: {} })) as {
        content: { text: string }[];
      };
      const env = JSON.parse(result.content[0]?.text ?? '{}') as Record<string, string>;
      expect(env.SERVICE_TOKEN).toBe('svc-81f0e2d3c4b5');
      expect(env.REGION).toBe('eu-west');
      expect(gw.messages.join('\n')).not.toContain('svc-81f0e2d3c4b5');

      // The client got the server's answer as it was; what capture stored of it names the secret instead.
      const stored = (await gw.records((r) => r.method === 'tools/call' && r.kind === 'response'))[0];
      expect(stored?.message).toContain('[REDACTED:secret:SERVICE_TOKEN]');
      expect(stored?.message).toContain('eu-west');
      const found = await gw.api('/api/logs?limit=10&filter=svc-81f0e2d3c4b5');
      expect(((await found.json()) as { data: unknown[] }).data).toEqual([]);
      for (const file of readdirSync(gw.storageDir).filter((name) => name.startsWith('logs.db')))
        expect(readFileSync(join(gw.storageDir, file)).includes('svc-81f0e2d3c4b5')).toBe(false);
    } finally {
      await client.close();
      delete process.env.GW_REF_REGION;
    }
  });
});
