import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiJson } from '../helpers/api-json.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { httpRequest, JSON_HEADERS, rpc } from '../helpers/http.js';

const BEARER = { authorization: `Bearer ${TEST_TOKEN}` };

/** Signs in the way the browser does, with the printed link; answers the session cookie. */
async function signIn(gw: TestGateway): Promise<string> {
  const response = await fetch(`${gw.url}/ui?token=${TEST_TOKEN}`, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

async function csrfTokenOf(gw: TestGateway, cookie: string): Promise<string> {
  const response = await fetch(`${gw.url}/api/session`, { headers: { cookie } });
  const body = (await response.json()) as { via: string; csrfToken: string };
  expect(body.via).toBe('ui-session');
  return body.csrfToken;
}

const httpEntry = (name: string) => JSON.stringify({ name, type: 'http', url: 'http://127.0.0.1:9/mcp' });

async function registeredNames(gw: TestGateway): Promise<string[]> {
  const config = await apiJson<{ servers: { name: string }[] }>(gw, '/api/servers/config');
  return config.servers.map((s) => s.name).sort();
}

describe('browser origins', () => {
  let gw: TestGateway;
  let own: string;
  let other: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    own = gw.url;
    other = `http://localhost:${Number(new URL(gw.url).port) + 1}`;
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it("lets the gateway's own pages and scripts without an Origin call the API", async () => {
    expect((await httpRequest(`${gw.url}/api/status`, { headers: { ...BEARER, origin: own } })).status).toBe(
      200,
    );
    expect((await httpRequest(`${gw.url}/api/status`, { headers: BEARER })).status).toBe(200);
  });

  it('refuses pages from another localhost port on the API, the UI and the management MCP server', async () => {
    const api = await httpRequest(`${gw.url}/api/status`, { headers: { ...BEARER, origin: other } });
    expect(api.status).toBe(403);
    expect(JSON.parse(api.body).error).toBe(
      `Blocked request from origin "${other}": only the gateway's own web UI (${own}/ui) may call /api/status. Browser MCP clients connect through the proxy (/s/<name>/mcp); scripts send no Origin.`,
    );
    const logout = await httpRequest(`${gw.url}/ui/logout`, { method: 'POST', headers: { origin: other } });
    expect(logout.status).toBe(403);
    const mcp = await httpRequest(`${gw.url}/g/mcp`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...BEARER, origin: other },
      body: rpc('tools/list'),
    });
    expect(mcp.status).toBe(403);
    expect(JSON.parse(mcp.body).error.message).toContain('Blocked request from origin');
  });

  it('keeps letting pages on any localhost port reach the proxy and OAuth discovery', async () => {
    const proxy = await httpRequest(gw.proxyUrl('nope'), {
      method: 'POST',
      headers: { ...JSON_HEADERS, origin: other },
      body: rpc('ping'),
    });
    // Past the origin check: the server is unknown.
    expect(proxy.status).toBe(404);
    expect(proxy.headers['access-control-allow-origin']).toBe(other);
    const discovery = await httpRequest(`${gw.url}/.well-known/oauth-protected-resource/s/nope/mcp`, {
      headers: { origin: other },
    });
    expect(discovery.status).not.toBe(403);
  });

  it('refuses API requests another page sent without an Origin (Fetch Metadata)', async () => {
    const cookie = await signIn(gw);
    const image = await httpRequest(`${gw.url}/api/logs`, {
      headers: { cookie, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' },
    });
    expect(image.status).toBe(403);
    expect(JSON.parse(image.body).error).toContain('Sec-Fetch-Site: same-site');
    // The link printed in the terminal still signs in (Sec-Fetch-Site: none).
    const link = await httpRequest(`${gw.url}/ui?token=${TEST_TOKEN}`, {
      headers: { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' },
    });
    expect(link.status).toBe(302);
    expect(link.headers['set-cookie']).toBeDefined();
  });
});

describe('browser origins on IPv6 and behind a proxy', () => {
  it('compares the whole origin: [::1] with the port the gateway got from --port 0, or a proxied name', async () => {
    const gw = await startTestGateway({ host: '::1', allowedHosts: ['gateway.example'] });
    try {
      const port = Number(new URL(gw.url).port);
      const base = `http://[::1]:${port}`;
      const call = (headers: Record<string, string>) =>
        httpRequest(`${base}/api/status`, { headers: { ...BEARER, ...headers } });
      expect((await call({ origin: base })).status).toBe(200);
      expect((await call({ origin: `http://[::1]:${port + 1}` })).status).toBe(403);
      expect((await call({ origin: `http://localhost:${port}` })).status).toBe(403);
      // A TLS proxy in front of the gateway, named with --allowed-hosts, forwarding the browser's Host.
      expect((await call({ host: 'gateway.example', origin: 'https://gateway.example' })).status).toBe(200);
      expect((await call({ host: 'gateway.example', origin: 'https://other.example' })).status).toBe(403);
    } finally {
      await gw.stop();
    }
  });
});

describe('changes made with the UI session cookie', () => {
  let gw: TestGateway;
  let cookie: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    cookie = await signIn(gw);
  });

  afterAll(async () => {
    await gw?.stop();
  });

  const cookiePost = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', ...headers },
      body,
    });

  it('are refused without the CSRF token, or with a wrong one, and nothing changes', async () => {
    const missing = await cookiePost('/api/servers/config', httpEntry('sneaky'));
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { error: string }).error).toBe(
      `Refused: this change came with the web UI's session cookie but no CSRF token (x-csrf-token header), so it may not come from the gateway's own page. Reload the web UI and try again; scripts send "Authorization: Bearer <token>" instead.`,
    );
    const wrong = await cookiePost('/api/servers/config', httpEntry('sneaky'), { 'x-csrf-token': 'guess' });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: string }).error).toContain('a wrong CSRF token');
    const otherSession = await csrfTokenOf(gw, await signIn(gw));
    expect(
      (await cookiePost('/api/servers/config', httpEntry('sneaky'), { 'x-csrf-token': otherSession })).status,
    ).toBe(403);
    expect(await registeredNames(gw)).toEqual([]);
    // Reading needs no token.
    expect((await fetch(`${gw.url}/api/status`, { headers: { cookie } })).status).toBe(200);
  });

  it("go through with the session's CSRF token from GET /api/session", async () => {
    const token = await csrfTokenOf(gw, cookie);
    const added = await cookiePost('/api/servers/config', httpEntry('from-ui'), { 'x-csrf-token': token });
    expect(added.status).toBe(201);
    expect(await registeredNames(gw)).toEqual(['from-ui']);
  });

  it('need no CSRF token when a script authenticates with the Bearer token', async () => {
    expect(await apiJson(gw, '/api/session')).toEqual({
      via: 'token',
      csrfToken: null,
      actor: 'owner',
      role: 'admin',
      servers: null,
      expiresAt: null,
    });
    const added = await gw.api('/api/servers/config', { method: 'POST', body: httpEntry('from-script') });
    expect(added.status).toBe(201);
    expect((await gw.api('/api/servers/config/from-script', { method: 'DELETE' })).status).toBe(200);
  });

  it('include signing out: only the own page may end a live session', async () => {
    const refused = await fetch(`${gw.url}/ui/logout`, { method: 'POST', headers: { cookie } });
    expect(refused.status).toBe(403);
    expect((await fetch(`${gw.url}/api/status`, { headers: { cookie } })).status).toBe(200);
    const token = await csrfTokenOf(gw, cookie);
    const out = await fetch(`${gw.url}/ui/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': token },
    });
    expect(out.status).toBe(200);
    expect((await fetch(`${gw.url}/api/status`, { headers: { cookie } })).status).toBe(401);
  });
});

describe('request body types', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway();
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it.each([
    ['text/plain;charset=UTF-8', 'text/plain'],
    ['application/x-www-form-urlencoded', 'a form'],
    ['multipart/form-data; boundary=x', 'a multipart form'],
  ])('refuses %s (%s) with 415, and registers nothing', async (contentType) => {
    const response = await gw.api('/api/servers/config', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: httpEntry('typed'),
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: string }).error).toBe(
      `Unsupported body type (Content-Type "${contentType}"): send the body as JSON with "Content-Type: application/json".`,
    );
    expect(await registeredNames(gw)).toEqual([]);
  });

  it('refuses a body without a Content-Type, and takes changes that have no body', async () => {
    const untyped = await httpRequest(`${gw.url}/api/servers/config`, {
      method: 'POST',
      headers: BEARER,
      body: httpEntry('untyped'),
    });
    expect(untyped.status).toBe(415);
    expect(JSON.parse(untyped.body).error).toContain('(no Content-Type)');
    const clear = await httpRequest(`${gw.url}/api/logs/clear`, { method: 'POST', headers: BEARER });
    expect(clear.status).toBe(200);
    const parameters = await gw.api('/api/servers/config', {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: httpEntry('typed'),
    });
    expect(parameters.status).toBe(201);
  });

  it('takes JSONL on the import route, and says how to send it otherwise', async () => {
    const refused = await gw.api('/api/logs/import', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '',
    });
    expect(refused.status).toBe(415);
    expect(((await refused.json()) as { error: string }).error).toContain(
      'send the JSONL with "Content-Type: application/x-ndjson" (curl: -H "Content-Type: application/x-ndjson" --data-binary @records.jsonl)',
    );
    for (const type of ['application/x-ndjson', 'application/jsonl', 'application/json']) {
      const response = await gw.api('/api/logs/import', {
        method: 'POST',
        headers: { 'content-type': type },
        body: '\n',
      });
      expect(response.status, type).toBe(200);
    }
  });
});

describe('wrong tokens', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway();
  });

  afterAll(async () => {
    await gw?.stop();
  });

  const wrongBearer = () =>
    httpRequest(`${gw.url}/api/status`, { headers: { authorization: 'Bearer not-the-token' } });
  const pauseLines = () => gw.messages.filter((m) => m.includes('wrong gateway tokens'));

  it('never slow down the right token', async () => {
    for (let i = 0; i < 50; i++) expect((await gw.api('/api/status')).status).toBe(200);
    expect(pauseLines()).toEqual([]);
  });

  it('are answered 429 with Retry-After past a burst, with one log line per burst', async () => {
    const cookie = await signIn(gw);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await wrongBearer()).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const slowed = await wrongBearer();
    expect(slowed.status).toBe(429);
    expect(slowed.headers['retry-after']).toBe('10');
    expect(JSON.parse(slowed.body).error).toBe(
      'Too many wrong gateway tokens from this address: wait 10 s, then try again with the token the gateway printed at startup (or MCP_GATEWAY_TOKEN).',
    );
    for (let i = 0; i < 30; i++) expect((await wrongBearer()).status).toBe(429);
    expect(pauseLines()).toEqual([
      expect.stringMatching(
        /^warning: 10 wrong gateway tokens from 127\.0\.0\.1 within 10 s: its token attempts get 429 for the next 10 s\. If that is you or one of your clients, use the token the gateway printed at startup \(or MCP_GATEWAY_TOKEN\)\.$/,
      ),
    ]);

    // The management MCP server and the UI's sign-in link share the pause.
    const mcp = await httpRequest(`${gw.url}/g/mcp`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, authorization: 'Bearer not-the-token' },
      body: rpc('tools/list'),
    });
    expect(mcp.status).toBe(429);
    expect(mcp.headers['retry-after']).toBeDefined();
    expect(JSON.parse(mcp.body)).toMatchObject({
      jsonrpc: '2.0',
      error: { message: expect.stringContaining('wait') },
    });
    const link = await httpRequest(`${gw.url}/ui?token=guess`);
    expect(link.status).toBe(429);
    expect(link.body).toContain('Too many wrong gateway tokens');
    // While the address pauses, even the right token waits: answering it would tell a guesser which of
    // its guesses is right at full speed. A signed-in UI session is no guess and keeps working.
    expect((await gw.api('/api/status')).status).toBe(429);
    expect((await fetch(`${gw.url}/api/status`, { headers: { cookie } })).status).toBe(200);
  });

  it('count wrong sign-in links too', async () => {
    const fresh = await startTestGateway();
    try {
      for (let i = 0; i < 10; i++) {
        const link = await httpRequest(`${fresh.url}/ui?token=guess-${i}`);
        expect(link.status).toBe(302);
        expect(link.headers.location).toBe('/ui?signin=invalid-token');
      }
      const paused = await httpRequest(`${fresh.url}/ui?token=guess`);
      expect(paused.status).toBe(429);
      expect(paused.headers['retry-after']).toBe('10');
      expect(fresh.messages.filter((m) => m.includes('wrong gateway tokens'))).toHaveLength(1);
    } finally {
      await fresh.stop();
    }
  });
});
