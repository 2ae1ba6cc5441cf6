import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore, auditPath } from '../../src/audit/audit-store.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { apiJson } from '../helpers/api-json.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';

interface Entry {
  seq: number;
  time: string;
  actor: string | null;
  actorKind: string | null;
  actorRole: string | null;
  source: string;
  action: string;
  target: string | null;
  outcome: string;
  detail: string | null;
}

/** Nothing listens on the discard port: an HTTP server that is simply down. */
const DOWN = 'http://127.0.0.1:9/mcp';
const TOUCH = '/usr/bin/touch';

/**
 * Every control-plane act through a real gateway, over REST and through the management MCP server with the
 * SDK client, leaves one audit entry naming who, from where, what, and how it ended.
 */
describe('audit entries for every control-plane act', () => {
  let gw: TestGateway;
  let scratch: string;
  let agent: Client;
  let aliceToken: string;

  const audit = async (query = '') =>
    (await apiJson<{ data: Entry[] }>(gw, `/api/audit?order=asc&limit=1000${query}`)).data;
  const last = async (action: string) => {
    const entries = (await audit(`&action=${encodeURIComponent(action)}`)).filter((e) => e.action === action);
    return entries.at(-1);
  };
  const call = async (name: string, args: Record<string, unknown>) =>
    (await agent.callTool({ name, arguments: args })) as CallToolResult;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'audit-acts-'));
    gw = await startTestGateway();
    aliceToken = new TokenStore(gw.storageDir).create({ name: 'alice', role: 'admin' }).value;
    agent = new Client({ name: 'audit-agent', version: '1.0.0' });
    await agent.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/gateway/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${aliceToken}` } },
      }),
    );
  });

  afterAll(async () => {
    await agent?.close();
    await gw?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('records server add, update, restart and remove over REST, with actor, role and source', async () => {
    await apiJson(gw, '/api/servers/config', 201, {
      method: 'POST',
      body: JSON.stringify({ name: 'down', type: 'http', url: DOWN }),
    });
    await apiJson(gw, '/api/servers/config/down', 200, {
      method: 'PUT',
      body: JSON.stringify({ type: 'http', url: `${DOWN}?v=2` }),
    });
    await apiJson(gw, '/api/servers/down/restart', 200, { method: 'POST' });
    await apiJson(gw, '/api/servers/config/down', 200, { method: 'DELETE' });
    await apiJson(gw, '/api/servers/config/never-there', 404, { method: 'DELETE' });

    const acts = (await audit('&action=server.')).map((e) => [e.action, e.target, e.outcome]);
    expect(acts).toEqual([
      ['server.add', 'down', 'ok'],
      ['server.update', 'down', 'ok'],
      ['server.restart', 'down', 'ok'],
      ['server.remove', 'down', 'ok'],
      ['server.remove', 'never-there', 'failed'],
    ]);
    const add = await last('server.add');
    expect(add).toMatchObject({
      actor: 'owner',
      actorKind: 'owner',
      actorRole: 'admin',
      source: '127.0.0.1',
    });
    expect((await last('server.remove'))?.detail).toMatch(/no server named "never-there"/i);
  });

  it('records approvals and denials of held launches', async () => {
    for (const name of ['held-a', 'held-b']) {
      const held = await call('add_server', { name, command: TOUCH, args: [join(scratch, name)] });
      expect(held.structuredContent?.status).toBe('awaiting-approval');
    }
    await apiJson(gw, '/api/servers/pending/held-a/approve', 200, { method: 'POST' });
    await apiJson(gw, '/api/servers/pending/held-b/reject', 200, { method: 'POST' });
    expect(await last('server.approve')).toMatchObject({ target: 'held-a', outcome: 'ok', actor: 'owner' });
    expect((await last('server.approve'))?.detail).toContain(TOUCH);
    expect(await last('server.deny')).toMatchObject({ target: 'held-b', outcome: 'ok' });
    // The agent's request itself is on record too, as held.
    const asked = (await audit('&action=server.add&actor=alice')).map((e) => [e.target, e.detail]);
    expect(asked).toEqual([
      ['held-a', "held for the owner's approval in the web UI"],
      ['held-b', "held for the owner's approval in the web UI"],
    ]);
  });

  it('records what the management MCP tools change, under the calling token', async () => {
    expect((await call('add_server', { name: 'tool-made', url: DOWN })).isError).toBeFalsy();
    expect((await call('update_server', { name: 'tool-made', url: `${DOWN}?v=3` })).isError).toBeFalsy();
    expect((await call('restart_server', { name: 'tool-made' })).isError).toBeFalsy();
    expect((await call('clear_records', { filter: 'server:tool-made' })).isError).toBeFalsy();
    expect((await call('remove_server', { name: 'tool-made' })).isError).toBeFalsy();
    expect((await call('remove_server', { name: 'tool-made' })).isError).toBe(true);

    const acts = (await audit('&actor=alice'))
      .filter((e) => e.target === 'tool-made' || e.target === 'server:tool-made')
      .map((e) => [e.action, e.target, e.outcome]);
    expect(acts).toEqual([
      ['server.add', 'tool-made', 'ok'],
      ['server.update', 'tool-made', 'ok'],
      ['server.restart', 'tool-made', 'ok'],
      ['records.clear', 'server:tool-made', 'ok'],
      ['server.remove', 'tool-made', 'ok'],
      ['server.remove', 'tool-made', 'failed'],
    ]);
    expect(await last('records.clear')).toMatchObject({
      actor: 'alice',
      actorKind: 'token',
      actorRole: 'admin',
      source: '127.0.0.1',
      detail: expect.stringMatching(/^\d+ record\(s\) deleted$/),
    });
  });

  it('records record clear, delete, import and export, and secret set and remove', async () => {
    const line = JSON.stringify({
      time: new Date().toISOString(),
      server: 'imported',
      sessionId: null,
      direction: 'client_to_server',
      kind: 'request',
      jsonrpcId: 1,
      method: 'ping',
      http: { method: 'POST', status: 200, transport: 'http-json' },
      durationMs: null,
      client: { name: null, version: null },
      upstream: { name: null, version: null },
      userAgent: null,
      summary: 'ping',
      tokens: null,
      error: null,
      message: { jsonrpc: '2.0', id: 1, method: 'ping' },
    });
    await apiJson(gw, '/api/logs/import', 200, {
      method: 'POST',
      body: `${line}\n`,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    const exported = await gw.api('/api/logs/export?filter=server:imported');
    expect(exported.status).toBe(200);
    await exported.text();
    await apiJson(gw, '/api/logs?filter=server:imported', 200, { method: 'DELETE' });
    await apiJson(gw, '/api/logs/clear', 200, { method: 'POST', body: JSON.stringify({ server: 'nobody' }) });
    await apiJson(gw, '/api/secrets/API_KEY', 200, {
      method: 'PUT',
      body: JSON.stringify({ value: 's3cr3t' }),
    });
    await apiJson(gw, '/api/secrets/API_KEY', 200, { method: 'DELETE' });

    expect(await last('records.import')).toMatchObject({
      outcome: 'ok',
      detail: '1 record(s) imported, 0 skipped',
    });
    expect(await last('records.export')).toMatchObject({ target: 'server:imported', outcome: 'ok' });
    expect(await last('records.delete')).toMatchObject({
      target: 'server:imported',
      detail: '1 record(s) deleted',
    });
    expect(await last('records.clear')).toMatchObject({ target: 'server:nobody', actor: 'owner' });
    expect(await last('secret.set')).toMatchObject({ target: 'API_KEY', outcome: 'ok' });
    expect(await last('secret.remove')).toMatchObject({ target: 'API_KEY', outcome: 'ok' });
    // A secret's value never reaches the audit log.
    expect(JSON.stringify(await audit())).not.toContain('s3cr3t');
  });

  it('records UI sign-in (also a failed one) and sign-out with the identity signed in', async () => {
    const signIn = await fetch(`${gw.url}/ui?token=${aliceToken}`, { redirect: 'manual' });
    expect(signIn.status).toBe(302);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const session = (await (await fetch(`${gw.url}/api/session`, { headers: { cookie } })).json()) as {
      csrfToken: string;
    };
    const out = await fetch(`${gw.url}/ui/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': session.csrfToken, origin: gw.url },
    });
    expect(out.status).toBe(200);
    await fetch(`${gw.url}/ui?token=not-a-token`, { redirect: 'manual' });

    const acts = (await audit('&action=auth.sign')).map((e) => [e.action, e.actor, e.outcome]);
    expect(acts).toEqual([
      ['auth.sign-in', 'alice', 'ok'],
      ['auth.sign-out', 'alice', 'ok'],
      ['auth.sign-in', null, 'failed'],
    ]);
  });

  it('keeps a hash chain over everything recorded', async () => {
    const all = (
      await apiJson<{ data: (Entry & { prevHash: string; hash: string })[] }>(
        gw,
        '/api/audit?order=asc&limit=1000',
      )
    ).data;
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    for (let i = 1; i < all.length; i++) expect(all[i]?.prevHash).toBe(all[i - 1]?.hash);
    expect(TEST_TOKEN).not.toBe(aliceToken);
  });
});

describe('a burst of wrong tokens', () => {
  it('is recorded once, from its address, while the address pauses', async () => {
    const storageDir = mkdtempSync(join(tmpdir(), 'audit-burst-'));
    const gw = await startTestGateway({ storageDir });
    try {
      for (let i = 0; i < 12; i++) {
        await fetch(`${gw.url}/api/status`, { headers: { authorization: 'Bearer wrong-guess' } });
      }
      // The address now pauses, right token included: read the log as the CLI does, from the file.
      await gw.stop();
      const store = AuditStore.open(auditPath(gw.storageDir), { readonly: true });
      const bursts = [...store.all()].filter((e) => e.action === 'auth.failed-burst');
      store.close();
      expect(bursts).toHaveLength(1);
      expect(bursts[0]).toMatchObject({ actor: null, source: '127.0.0.1', outcome: 'refused' });
      expect(bursts[0]?.detail).toMatch(/10 wrong tokens within 10 s; paused for 10 s/);
    } finally {
      await gw.stop();
      rmSync(storageDir, { recursive: true, force: true });
    }
  });
});
