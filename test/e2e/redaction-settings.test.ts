import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startupBanner } from '../../src/cli/banner.js';
import type { CapturedRecord } from '../../src/core/record.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';

const STRIPE = 'sk-live-4eC39HqLyjWDarjtT1zdp7dc';

async function echo(gw: TestGateway, server: string, args: Record<string, unknown>): Promise<CapturedRecord> {
  const client = await connectClient(gw.proxyUrl(server), 'settings-check');
  const sessionId = client.transport.sessionId as string;
  try {
    await client.client.callTool({ name: 'echo', arguments: { message: 'settings', ...args } });
  } finally {
    await client.close();
  }
  const [request] = await gw.records(
    (r) => r.sessionId === sessionId && r.kind === 'request' && r.method === 'tools/call',
  );
  return request as CapturedRecord;
}

function writeConfig(dir: string, config: Record<string, unknown>): void {
  writeFileSync(join(dir, 'mcp.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
}

describe('redaction settings', () => {
  let everything: RunningEverything;
  const dirs: string[] = [];
  const gateways: TestGateway[] = [];

  beforeAll(async () => {
    everything = await startEverything();
  });
  afterAll(async () => {
    for (const gw of gateways) await gw.stop();
    await everything?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (config: Record<string, unknown>, options: { redact?: boolean } = {}) => {
    const storageDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-redaction-settings-'));
    dirs.push(storageDir);
    writeConfig(storageDir, config);
    const gw = await startTestGateway({ storageDir, ...options });
    gateways.push(gw);
    return gw;
  };

  it('--no-redact stores payloads as they arrived and the banner says so', async () => {
    const gw = await start(
      { mcpServers: { everything: { type: 'http', url: everything.url } } },
      { redact: false },
    );
    expect(startupBanner(gw.gateway)).toMatch(/Redaction\s+off/);
    const request = await echo(gw, 'everything', { apiKey: STRIPE });
    expect(JSON.parse(request.message).params.arguments.apiKey).toBe(STRIPE);
    expect(request.redactions).toBe(0);
  });

  it('redacts an export of raw captures when it is imported', async () => {
    const raw = await start(
      { mcpServers: { everything: { type: 'http', url: everything.url } } },
      { redact: false },
    );
    await echo(raw, 'everything', { apiKey: STRIPE });
    const exported = await (await raw.api('/api/logs/export')).text();
    expect(exported).toContain(STRIPE);

    const gw = await start({ mcpServers: {} });
    const imported = await gw.api('/api/logs/import', { method: 'POST', body: exported });
    expect(imported.status).toBe(200);
    const records = await gw.records();
    expect(records.length).toBeGreaterThan(0);
    expect(JSON.stringify(records)).not.toContain(STRIPE);
    const call = records.find((r) => r.kind === 'request' && r.method === 'tools/call');
    expect(JSON.parse(call?.message ?? '{}').params.arguments.apiKey).toBe('[REDACTED:api_key]');
    expect(call?.redactions).toBe(1);
  });

  it('"enabled": false in mcp.json turns it off too', async () => {
    const gw = await start({
      mcpServers: { everything: { type: 'http', url: everything.url } },
      redaction: { enabled: false },
    });
    const request = await echo(gw, 'everything', { password: 'hunter2-hunter2' });
    expect(JSON.parse(request.message).params.arguments.password).toBe('hunter2-hunter2');
  });

  it('applies extra key names and patterns, and a server allow-list, and follows hand edits', async () => {
    const config = {
      mcpServers: {
        everything: { type: 'http', url: everything.url },
        trusted: { type: 'http', url: everything.url },
      },
      redaction: {
        keys: ['ssn'],
        patterns: [{ pattern: 'acme_[a-z0-9]{12}', kind: 'acme_key' }],
        allow: { trusted: ['token'] },
      },
    };
    const gw = await start(config);
    const args = { ssn: '078-05-1120', note: 'key acme_abcdef123456 here', token: 'not-a-secret-here' };
    const redacted = JSON.parse((await echo(gw, 'everything', args)).message).params.arguments;
    expect(redacted).toMatchObject({
      ssn: '[REDACTED:ssn]',
      note: 'key [REDACTED:acme_key] here',
      token: '[REDACTED:token]',
    });
    const trusted = JSON.parse((await echo(gw, 'trusted', args)).message).params.arguments;
    expect(trusted.token).toBe('not-a-secret-here');
    expect(trusted.ssn).toBe('[REDACTED:ssn]');

    // A hand edit of mcp.json reaches capture without a restart.
    writeConfig(gw.storageDir, { ...config, redaction: { ...config.redaction, keys: ['ssn', 'badge'] } });
    await expect
      .poll(() => gw.messages.some((m) => m.includes('redaction settings changed')), { timeout: 10_000 })
      .toBe(true);
    const after = JSON.parse((await echo(gw, 'everything', { badge: 'B-1234' })).message).params.arguments;
    expect(after.badge).toBe('[REDACTED:badge]');
  });

  it('refuses a redaction block it cannot use, naming the fix, and keeps the last good settings', async () => {
    const gw = await start({ mcpServers: { everything: { type: 'http', url: everything.url } } });
    writeConfig(gw.storageDir, {
      mcpServers: { everything: { type: 'http', url: everything.url } },
      redaction: { patterns: ['(unclosed'], keys: 'ssn' },
    });
    await expect
      .poll(() => gw.messages.find((m) => m.includes('redaction.')), { timeout: 10_000 })
      .toMatch(/redaction\.keys: must be an array of key names/);
    const request = await echo(gw, 'everything', { apiKey: STRIPE });
    expect(JSON.parse(request.message).params.arguments.apiKey).toBe('[REDACTED:api_key]');
  });
});
