import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../src/auth/token-store.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** Opens /api/events and resolves, once the gateway ends the stream, with how long it stayed open. */
async function openStream(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/events`, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const opened = Date.now();
  const ended = (async () => {
    try {
      for await (const _ of response.body as unknown as AsyncIterable<Uint8Array>) {
        // Events and keep-alives; the test only waits for the end.
      }
    } catch {
      // Aborted by the test.
    }
    return Date.now() - opened;
  })();
  return { ended, close: () => controller.abort() };
}

/** Resolves with the value, or with "still open" when the stream outlives `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still open'> {
  return Promise.race([promise, new Promise<'still open'>((r) => setTimeout(() => r('still open'), ms))]);
}

describe('revocation and expiry take effect at once', () => {
  let gw: TestGateway;
  let tokens: TokenStore;
  beforeAll(async () => {
    gw = await startTestGateway({ healthInterval: 0 });
    tokens = new TokenStore(gw.storageDir);
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it('ends the live feed of a token revoked while it is open, and only that one', async () => {
    const doomed = tokens.create({ name: 'doomed', role: 'viewer' }).value;
    const kept = tokens.create({ name: 'kept', role: 'viewer' }).value;
    const revoked = await openStream(gw.url, { authorization: `Bearer ${doomed}` });
    const other = await openStream(gw.url, { authorization: `Bearer ${kept}` });
    try {
      expect(await within(revoked.ended, 800)).toBe('still open');
      tokens.revoke('doomed');
      const revokedAt = Date.now();
      expect(await within(revoked.ended, 2000)).not.toBe('still open');
      expect(Date.now() - revokedAt).toBeLessThan(2000);
      expect(await within(other.ended, 500)).toBe('still open');
      expect(
        (await fetch(`${gw.url}/api/events`, { headers: { authorization: `Bearer ${doomed}` } })).status,
      ).toBe(401);
    } finally {
      revoked.close();
      other.close();
    }
  });

  it('ends the live feed of a token when it expires', async () => {
    const brief = tokens.create({ name: 'brief', role: 'viewer', expiresInMs: 1500 }).value;
    const stream = await openStream(gw.url, { authorization: `Bearer ${brief}` });
    try {
      const lasted = await within(stream.ended, 4000);
      expect(lasted).not.toBe('still open');
      expect(lasted as number).toBeGreaterThan(800);
      expect(lasted as number).toBeLessThan(3000);
    } finally {
      stream.close();
    }
  });

  it('signs out the UI sessions of a revoked token, and ends their live feed', async () => {
    const value = tokens.create({ name: 'browser', role: 'viewer' }).value;
    const signIn = await fetch(`${gw.url}/ui?token=${value}`, { redirect: 'manual' });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toContain('mcp_gateway_session=');
    const session = await fetch(`${gw.url}/api/session`, { headers: { cookie } });
    expect(await session.json()).toMatchObject({ via: 'ui-session', actor: 'browser', role: 'viewer' });
    const stream = await openStream(gw.url, { cookie });
    try {
      tokens.revoke('browser');
      expect(await within(stream.ended, 2000)).not.toBe('still open');
      expect((await fetch(`${gw.url}/api/session`, { headers: { cookie } })).status).toBe(401);
    } finally {
      stream.close();
    }
  });

  it('ends the management MCP session of a revoked token, and its open stream', async () => {
    const value = tokens.create({ name: 'agent', role: 'viewer' }).value;
    const headers = {
      authorization: `Bearer ${value}`,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
    };
    const initialize = await fetch(`${gw.url}/gateway/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'agent', version: '1' },
        },
      }),
    });
    expect(initialize.status).toBe(200);
    await initialize.text();
    const sessionId = initialize.headers.get('mcp-session-id') as string;
    const session = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    await fetch(`${gw.url}/gateway/mcp`, {
      method: 'POST',
      headers: session,
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });
    const controller = new AbortController();
    const stream = await fetch(`${gw.url}/gateway/mcp`, { headers: session, signal: controller.signal });
    expect(stream.status).toBe(200);
    const ended = (async () => {
      try {
        for await (const _ of stream.body as unknown as AsyncIterable<Uint8Array>) {
          // Nothing is sent on an idle session's stream.
        }
      } catch {
        // Aborted by the test.
      }
      return 'ended';
    })();
    try {
      expect(await within(ended, 1500)).toBe('still open');
      tokens.revoke('agent');
      expect(await within(ended, 3000)).toBe('ended');
    } finally {
      controller.abort();
    }
  });
});
