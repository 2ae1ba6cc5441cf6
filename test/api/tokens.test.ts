import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiError } from '../../src/api/errors.js';
import { tokensRoutes } from '../../src/api/tokens.js';
import type { AuditEvent } from '../../src/audit/audit-trail.js';
import { type Identity, OWNER } from '../../src/auth/identity.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Created {
  token: Record<string, unknown>;
  value: string;
}

describe('/api/tokens on a running gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => gw?.stop());

  const as = (value: string, path: string, init: RequestInit = {}) =>
    fetch(`${gw.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${value}`, 'content-type': 'application/json' },
    });
  const create = async (body: Record<string, unknown>, by?: string): Promise<Response> =>
    by === undefined
      ? gw.api('/api/tokens', { method: 'POST', body: JSON.stringify(body) })
      : as(by, '/api/tokens', { method: 'POST', body: JSON.stringify(body) });

  it('creates a token whose value is answered once and works at once; the list never shows it', async () => {
    const response = await create({ name: 'ci-bot', role: 'viewer', servers: ['github'], expires: '30d' });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { token, value } = (await response.json()) as Created;
    expect(value).toMatch(/^mgw_/);
    expect(token).toMatchObject({ name: 'ci-bot', role: 'viewer', servers: ['github'], expired: false });
    expect(Date.parse(token.expires as string) - Date.parse(token.created as string)).toBe(30 * 86_400_000);

    const session = await as(value, '/api/session');
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ actor: 'ci-bot', role: 'viewer', servers: ['github'] });

    const listed = await (await gw.api('/api/tokens')).text();
    expect(listed).not.toContain(value);
    const stored = JSON.parse(readFileSync(join(gw.storageDir, 'tokens.json'), 'utf8')).tokens[0].hash;
    expect(listed).not.toContain(stored);
    expect(JSON.parse(listed).tokens).toEqual([expect.objectContaining({ name: 'ci-bot', role: 'viewer' })]);
    expect(JSON.parse(listed).tokens[0].lastUsed).not.toBeNull();
  });

  it('rotates (old value 401, new one 200) and revokes (401 at once)', async () => {
    const { value: old } = (await (await create({ name: 'laptop', role: 'operator' })).json()) as Created;
    expect((await as(old, '/api/status')).status).toBe(200);
    const rotated = await gw.api('/api/tokens/laptop/rotate', { method: 'POST' });
    expect(rotated.status).toBe(200);
    const { value } = (await rotated.json()) as Created;
    expect(value).not.toBe(old);
    expect((await as(old, '/api/status')).status).toBe(401);
    expect((await as(value, '/api/status')).status).toBe(200);

    const revoked = await gw.api('/api/tokens/laptop', { method: 'DELETE' });
    expect(await revoked.json()).toEqual({ revoked: 'laptop' });
    expect((await as(value, '/api/status')).status).toBe(401);
    expect((await gw.api('/api/tokens/laptop', { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses viewers and operators with a 403 that names the admin role', async () => {
    for (const role of ['viewer', 'operator']) {
      const { value } = (await (await create({ name: `as-${role}`, role })).json()) as Created;
      const list = await as(value, '/api/tokens');
      expect(list.status).toBe(403);
      expect(((await list.json()) as { error: string }).error).toBe(
        `Managing tokens needs the admin role; as-${role} has ${role}. Ask the gateway's owner for a token with the admin role.`,
      );
      expect((await create({ name: 'sneaky', role: 'admin' }, value)).status).toBe(403);
      expect((await as(value, `/api/tokens/as-${role}/rotate`, { method: 'POST' })).status).toBe(403);
    }
  });

  it('lets an admin token hand out no wider server scope and no longer life than its own', async () => {
    const { value: scoped } = (await (
      await create({ name: 'team-admin', role: 'admin', servers: ['github', 'jira'], expires: '7d' })
    ).json()) as Created;
    const refusal = async (body: Record<string, unknown>) => {
      const response = await create(body, scoped);
      expect(response.status, JSON.stringify(body)).toBe(403);
      return ((await response.json()) as { error: string }).error;
    };
    expect(await refusal({ name: 'a', role: 'viewer', expires: '1d' })).toContain(
      'limited to the servers github, jira and cannot hand out all servers',
    );
    expect(
      await refusal({ name: 'a', role: 'viewer', servers: ['github', 'prod'], expires: '1d' }),
    ).toContain('cannot hand out prod');
    expect(await refusal({ name: 'a', role: 'viewer', servers: ['github'] })).toContain('lasts longer');
    expect(await refusal({ name: 'a', role: 'viewer', servers: ['github'], expires: '8d' })).toContain(
      'lasts longer',
    );
    const ok = await create({ name: 'jira-bot', role: 'admin', servers: ['jira'], expires: '1d' }, scoped);
    expect(ok.status).toBe(201);
    // It sees and manages only tokens within its reach: not ci-bot (all servers), nor the owner's others.
    const names = (
      (await (await as(scoped, '/api/tokens')).json()) as { tokens: { name: string }[] }
    ).tokens.map((t) => t.name);
    expect(names.sort()).toEqual(['jira-bot', 'team-admin']);
    expect((await as(scoped, '/api/tokens/ci-bot', { method: 'DELETE' })).status).toBe(403);
    expect((await as(scoped, '/api/tokens/ci-bot/rotate', { method: 'POST' })).status).toBe(403);
    expect((await as(scoped, '/api/tokens/jira-bot', { method: 'DELETE' })).status).toBe(200);
  });

  it('says what is wrong with a request, and changes nothing', async () => {
    const before = readFileSync(join(gw.storageDir, 'tokens.json'), 'utf8');
    const cases: [Record<string, unknown>, number, string][] = [
      [{ name: 'x', role: 'boss' }, 400, 'viewer, operator or admin'],
      [{ role: 'viewer' }, 400, '"name"'],
      [{ name: 'x', role: 'viewer', server: ['a'] }, 400, 'Unknown field "server"'],
      [{ name: 'x', role: 'viewer', expires: '1y' }, 400, 'such as 90m, 12h, 30d or 8w'],
      [{ name: 'x', role: 'viewer', servers: 'github' }, 400, 'list of server names'],
      [{ name: 'bad name', role: 'viewer' }, 400, 'not a valid token name'],
      [{ name: 'owner', role: 'viewer' }, 400, "startup token's name"],
      [{ name: 'ci-bot', role: 'viewer' }, 409, 'already exists'],
    ];
    for (const [body, status, message] of cases) {
      const response = await create(body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(((await response.json()) as { error: string }).error).toContain(message);
    }
    const missing = await gw.api('/api/tokens/nobody/rotate', { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toContain('GET /api/tokens lists');
    expect(readFileSync(join(gw.storageDir, 'tokens.json'), 'utf8')).toBe(before);
  });

  it('a damaged tokens.json: 503 saying what to do, named tokens refused, the owner still served', async () => {
    const { value } = (await (await create({ name: 'before-damage', role: 'viewer' })).json()) as Created;
    const path = join(gw.storageDir, 'tokens.json');
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, good.slice(0, 40));
    try {
      const list = await gw.api('/api/tokens');
      expect(list.status).toBe(503);
      expect(((await list.json()) as { error: string }).error).toContain('Restore it from a backup');
      const named = await as(value, '/api/status');
      expect(named.status).toBe(503);
      expect(((await named.json()) as { error: string }).error).toContain(
        'Named tokens cannot be checked now',
      );
      expect((await gw.api('/api/status')).status).toBe(200);
      expect(readFileSync(path, 'utf8')).toBe(good.slice(0, 40));
    } finally {
      writeFileSync(path, good);
    }
    expect((await as(value, '/api/status')).status).toBe(200);
  });
});

describe('tokensRoutes: the audit trail', () => {
  let dir: string;
  let events: AuditEvent[];
  let app: Hono<{ Variables: { principal: Identity } }>;
  let principal: Identity;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-token-routes-'));
    events = [];
    principal = OWNER;
    app = new Hono<{ Variables: { principal: Identity } }>();
    app.onError((error, c) => apiError(c, error, () => {}));
    app.use(async (c, next) => {
      c.set('principal', principal);
      await next();
    });
    app.route(
      '/api/tokens',
      tokensRoutes({ tokens: new TokenStore(dir), audit: { record: (event) => events.push(event) } }),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const post = (path: string, body?: unknown) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('records create, rotate and revoke, and refusals, never with a value', async () => {
    const created = await post('/api/tokens', { name: 'ci-bot', role: 'viewer', servers: ['github'] });
    const { value } = (await created.json()) as Created;
    const rotated = (await (await post('/api/tokens/ci-bot/rotate', { expires: '1d' })).json()) as Created;
    expect(rotated.token.expires).not.toBeNull();
    await app.request('/api/tokens/ci-bot', { method: 'DELETE' });
    principal = { ...OWNER, actor: 'scoped', kind: 'token', servers: ['github'] };
    expect((await post('/api/tokens', { name: 'wide', role: 'viewer' })).status).toBe(403);

    expect(events.map((e) => [e.action, e.target, e.outcome, e.actor?.actor, e.source])).toEqual([
      ['token.create', 'ci-bot', 'ok', 'owner', 'unknown'],
      ['token.rotate', 'ci-bot', 'ok', 'owner', 'unknown'],
      ['token.revoke', 'ci-bot', 'ok', 'owner', 'unknown'],
      ['token.create', 'wide', 'refused', 'scoped', 'unknown'],
    ]);
    expect(events[0]?.detail).toBe('viewer, servers github, never expires');
    const text = JSON.stringify(events);
    expect(text).not.toContain(value);
    expect(text).not.toContain(rotated.value);
  });
});
