import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../src/auth/token-store.js';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'ui', version: '1' } },
});

/**
 * `--proxy-auth` and the web UI's playground: the proxy takes the signed-in UI session (HttpOnly cookie
 * plus the session's CSRF token) from the gateway's own origin, so no page script holds the raw token.
 */
describe('--proxy-auth with the web UI session', () => {
  let upstream: SdkServer;
  let gw: TestGateway;

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
    gw = await startTestGateway({
      proxyAuth: true,
      healthInterval: 0,
      servers: { sdk: { type: 'http', url: upstream.url }, other: { type: 'http', url: upstream.url } },
    });
  });
  afterAll(async () => {
    await gw?.stop();
    await upstream?.stop();
  });

  /** Signs in with the printed link, as a browser does; the session cookie and its CSRF token. */
  async function signIn(token = TEST_TOKEN): Promise<{ cookie: string; csrf: string }> {
    const link = await fetch(`${gw.url}/ui?token=${token}`, { redirect: 'manual' });
    const cookie = (link.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^mcp_gateway_session=/);
    const session = await fetch(`${gw.url}/api/session`, { headers: { cookie } });
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    return { cookie: `theme=dark; ${cookie}`, csrf: csrfToken };
  }

  const post = (headers: Record<string, string>, server = 'sdk') =>
    fetch(gw.proxyUrl(server), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: INIT,
    });

  it("lets the UI's own page through with its session and CSRF token; the upstream never sees either", async () => {
    const { cookie, csrf } = await signIn();
    const before = upstream.received.length;
    const answer = await post({ cookie, 'x-csrf-token': csrf, origin: gw.url });
    expect(answer.status).toBe(200);
    const sent = upstream.received.slice(before);
    expect(sent.length).toBe(1);
    // Other cookies are the upstream's and pass; the gateway's session and CSRF token are the gateway's.
    expect(sent[0]?.headers.cookie).toBe('theme=dark');
    expect(sent[0]?.headers['x-csrf-token']).toBeUndefined();
  });

  it('refuses the same session from a foreign origin (another localhost port is the same site)', async () => {
    const { cookie, csrf } = await signIn();
    const before = upstream.received.length;
    const foreign = await post({ cookie, 'x-csrf-token': csrf, origin: 'http://localhost:5173' });
    expect(foreign.status).toBe(403);
    const body = (await foreign.json()) as { error: { message: string } };
    expect(body.error.message).toContain('Blocked request from origin "http://localhost:5173"');
    expect(upstream.received.length).toBe(before);
  });

  it('refuses the cookie without the CSRF token, or with a wrong one', async () => {
    const { cookie } = await signIn();
    const bare = await post({ cookie, origin: gw.url });
    expect(bare.status).toBe(401);
    const wrong = await post({ cookie, 'x-csrf-token': 'guess', origin: gw.url });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toContain(
      'does not belong to this web UI session',
    );
  });

  it("refuses a viewer's session: calling servers is an operator's right", async () => {
    const viewer = new TokenStore(gw.storageDir).create({ name: 'watcher', role: 'viewer' }).value;
    const { cookie, csrf } = await signIn(viewer);
    const refused = await post({ cookie, 'x-csrf-token': csrf, origin: gw.url });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      'needs the operator role; watcher has viewer',
    );
  });

  it("keeps a scoped operator's session to its servers", async () => {
    const scoped = new TokenStore(gw.storageDir).create({
      name: 'sdk-only',
      role: 'operator',
      servers: ['sdk'],
    });
    const { cookie, csrf } = await signIn(scoped.value);
    const own = await post({ cookie, 'x-csrf-token': csrf, origin: gw.url });
    expect(own.status).toBe(200);
    const before = upstream.received.length;
    const refused = await post({ cookie, 'x-csrf-token': csrf, origin: gw.url }, 'other');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      'may not use server "other"',
    );
    expect(upstream.received.length).toBe(before);
  });
});

/** Without --proxy-auth the playground still sends the UI's cookie and CSRF header: they stay here. */
describe('the web UI session never reaches an upstream', () => {
  let upstream: SdkServer;
  let gw: TestGateway;
  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
    gw = await startTestGateway({ healthInterval: 0, servers: { sdk: { type: 'http', url: upstream.url } } });
  });
  afterAll(async () => {
    await gw?.stop();
    await upstream?.stop();
  });

  it("strips the gateway's session cookie and CSRF header, and passes the upstream's own cookies", async () => {
    const answer = await fetch(gw.proxyUrl('sdk'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        cookie: 'mcp_gateway_session=s3cret-session; upstream_pref=1',
        'x-csrf-token': 'csrf-value',
      },
      body: INIT,
    });
    expect(answer.status).toBe(200);
    const sent = upstream.received.at(-1)?.headers;
    expect(sent?.cookie).toBe('upstream_pref=1');
    expect(sent?.['x-csrf-token']).toBeUndefined();
    const alone = await fetch(gw.proxyUrl('sdk'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        cookie: 'mcp_gateway_session=s3cret-session',
      },
      body: INIT,
    });
    expect(alone.status).toBe(200);
    expect(upstream.received.at(-1)?.headers.cookie).toBeUndefined();
  });
});
