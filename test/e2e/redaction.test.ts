import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiJson } from '../helpers/api-json.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';

/** Secrets shaped like the real thing; none of them may reach logs.db, the search index or an export. */
const STRIPE = 'sk-live-4eC39HqLyjWDarjtT1zdp7dc';
const PASSWORD = 'correct-horse-battery-staple';
const GITHUB = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const HEADER_SECRET = `xoxb-1234567890-${'z9'.repeat(12)}`;
const SECRETS = [STRIPE, PASSWORD, GITHUB, JWT, HEADER_SECRET];

/** Every byte the store holds: the database and its write-ahead log. */
function storeBytes(gw: TestGateway): Buffer {
  const parts = ['logs.db', 'logs.db-wal'].map((file) => {
    try {
      return readFileSync(join(gw.storageDir, file));
    } catch {
      return Buffer.alloc(0);
    }
  });
  return Buffer.concat(parts);
}

async function callWithSecrets(gw: TestGateway) {
  const proxied = await connectClient(gw.proxyUrl('everything'), 'redaction-check');
  try {
    const result = await proxied.client.callTool({
      name: 'echo',
      arguments: {
        message: `deploy with ${STRIPE} and ${GITHUB}, session ${JWT}`,
        apiKey: STRIPE,
        password: PASSWORD,
      },
    });
    return { result, sessionId: proxied.transport.sessionId as string };
  } finally {
    await proxied.close();
  }
}

/** An initialize sent with a custom header whose value is a credential (not a header the gateway knows). */
async function initializeWithSecretHeader(gw: TestGateway): Promise<void> {
  const response = await fetch(gw.proxyUrl('everything'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'x-my-thing': HEADER_SECRET,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'header-check', version: '1' },
      },
    }),
  });
  expect(response.status).toBe(200);
  await response.text();
}

describe('secrets in payloads are redacted before storage and indexing', () => {
  let everything: RunningEverything;
  let gw: TestGateway;
  let storageDir: string;

  beforeAll(async () => {
    everything = await startEverything();
    storageDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-redaction-'));
    gw = await startTestGateway({
      storageDir,
      servers: { everything: { type: 'http', url: everything.url } },
    });
  });
  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('forwards the secrets untouched, but the API, search, export and logs.db never hold them', async () => {
    const { result, sessionId } = await callWithSecrets(gw);
    await initializeWithSecretHeader(gw);
    // Transparency: the client got exactly what the server said, secrets included.
    const echoed = JSON.stringify(result.content);
    expect(echoed).toContain(STRIPE);
    expect(echoed).toContain(GITHUB);
    expect(echoed).toContain(JWT);

    await gw.gateway.flushCapture();
    const logs = await apiJson<{
      data: { method: string; kind: string; message: unknown; redactions: number }[];
    }>(gw, `/api/logs?filter=${encodeURIComponent(`session:${sessionId} method:tools/call`)}`);
    const request = logs.data.find((r) => r.kind === 'request');
    const response = logs.data.find((r) => r.kind === 'response');
    expect(request?.message).toMatchObject({
      params: {
        name: 'echo',
        arguments: {
          apiKey: '[REDACTED:api_key]',
          password: '[REDACTED:password]',
          message: 'deploy with [REDACTED:api_key] and [REDACTED:github_token], session [REDACTED:jwt]',
        },
      },
    });
    expect(request?.redactions).toBe(5);
    expect(JSON.stringify(response?.message)).toContain('[REDACTED:github_token]');
    // `has:redacted` finds exactly the records that had secrets replaced.
    const redacted = await apiJson<{ data: { kind: string; method: string | null }[] }>(
      gw,
      `/api/logs?filter=${encodeURIComponent(`session:${sessionId} has:redacted`)}`,
    );
    expect(redacted.data.map((r) => `${r.kind} ${r.method}`).sort()).toEqual([
      'request tools/call',
      'response tools/call',
    ]);
    expect(response?.redactions).toBe(3);

    const whole = JSON.stringify(
      await apiJson(gw, `/api/logs?filter=${encodeURIComponent(`session:${sessionId}`)}`),
    );
    const exported = await (
      await gw.api(`/api/logs/export?filter=${encodeURIComponent(`session:${sessionId}`)}`)
    ).text();
    expect(exported).toContain('[REDACTED:api_key]');
    for (const secret of SECRETS) {
      expect(whole).not.toContain(secret);
      expect(exported).not.toContain(secret);
      // The full-text index holds no trace of it: searching for the secret finds nothing.
      const found = await apiJson<{ data: unknown[] }>(
        gw,
        `/api/logs?filter=${encodeURIComponent(`"${secret}"`)}`,
      );
      expect(found.data, `search for ${secret}`).toEqual([]);
    }
    // The summary shown in the table is made from the redacted message.
    const summaries = await apiJson<{ data: { summary: string }[] }>(gw, '/api/logs?fields=summary');
    expect(JSON.stringify(summaries.data)).not.toContain(STRIPE);

    const headers = await gw.records((r) => r.clientName === 'header-check' && r.kind === 'request');
    expect(headers[0]?.requestHeaders?.['x-my-thing']).toBe('[REDACTED:slack_token]');
    expect(headers[0]?.redactions).toBe(1);

    await gw.stop();
    const bytes = storeBytes(gw);
    expect(bytes.includes('[REDACTED:api_key]')).toBe(true);
    for (const secret of SECRETS) expect(bytes.includes(secret), `logs.db holds ${secret}`).toBe(false);
  });
});
