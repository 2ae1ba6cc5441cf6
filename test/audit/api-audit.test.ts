import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRoutes } from '../../src/api/audit.js';
import { AuditStore, auditPath } from '../../src/audit/audit-store.js';
import type { AuditEvent } from '../../src/audit/audit-trail.js';
import { restAudit } from '../../src/audit/rest-audit.js';
import { SqliteAuditTrail } from '../../src/audit/sqlite-audit-trail.js';
import { type Identity, OWNER } from '../../src/auth/identity.js';
import { GatewayError } from '../../src/core/errors.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Page {
  data: { seq: number; action: string; actor: string; target: string; outcome: string; time: string }[];
  pagination: { count: number; limit: number; hasMore: boolean; nextCursor: string | null };
}

const viewer: Identity = { actor: 'val', kind: 'token', role: 'viewer', servers: null, expiresAt: null };
const bob: Identity = { actor: 'bob', kind: 'token', role: 'operator', servers: null, expiresAt: null };

describe('GET /api/audit', () => {
  let gw: TestGateway;
  const day = (n: number) => Date.UTC(2026, 10, n, 12);

  beforeAll(async () => {
    const storageDir = mkdtempSync(join(tmpdir(), 'audit-api-'));
    // A log with a known history: 30 entries over three days, by two actors, some refused.
    const store = AuditStore.open(auditPath(storageDir));
    for (let n = 1; n <= 30; n++) {
      const event: AuditEvent = {
        actor: n % 3 === 0 ? bob : OWNER,
        source: '127.0.0.1',
        action: n % 2 === 0 ? 'server.add' : 'records.clear',
        target: n % 2 === 0 ? `srv-${n}` : 'all records',
        outcome: n % 10 === 0 ? 'refused' : 'ok',
      };
      store.append(event, day(1 + Math.floor((n - 1) / 10)));
    }
    store.close();
    gw = await startTestGateway({ storageDir });
  });
  afterAll(async () => {
    await gw?.stop();
    if (gw) rmSync(gw.storageDir, { recursive: true, force: true });
  });

  const page = async (query: string) => {
    const response = await gw.api(`/api/audit${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Page;
  };

  it('pages newest first by cursor, like /api/logs, until every entry was seen once', async () => {
    const seen: number[] = [];
    let cursor = '';
    for (let pages = 0; pages < 10; pages++) {
      const { data, pagination } = await page(`?limit=7${cursor}`);
      seen.push(...data.map((e) => e.seq));
      expect(pagination.limit).toBe(7);
      if (!pagination.hasMore) {
        expect(pagination.nextCursor).toBeNull();
        break;
      }
      cursor = `&cursor=${pagination.nextCursor}`;
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
    expect((await page('?order=asc&limit=3')).data.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('filters by actor, action prefix, target, outcome and time', async () => {
    const byBob = (await page('?actor=bob&limit=100')).data;
    expect(byBob.map((e) => e.seq)).toEqual([30, 27, 24, 21, 18, 15, 12, 9, 6, 3]);
    const servers = (await page('?action=server.&limit=100')).data;
    expect(servers).toHaveLength(15);
    expect(servers.every((e) => e.action === 'server.add')).toBe(true);
    expect((await page('?action=server&limit=100')).data).toHaveLength(15);
    expect((await page('?action=serve_&limit=100')).data).toHaveLength(0);
    expect((await page('?target=srv-4')).data.map((e) => e.seq)).toEqual([4]);
    expect((await page('?outcome=refused')).data.map((e) => e.seq)).toEqual([30, 20, 10]);
    const second = (await page('?since=2026-11-02&until=2026-11-02T23:59:59Z&limit=100')).data;
    expect(second.map((e) => e.seq)).toEqual([20, 19, 18, 17, 16, 15, 14, 13, 12, 11]);
    expect((await page('?actor=bob&outcome=refused')).data.map((e) => e.seq)).toEqual([30]);
  });

  it('says what is wrong with a bad filter', async () => {
    const bad = await gw.api('/api/audit?outcome=maybe');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(
      /"outcome" must be one of ok, refused, failed/,
    );
    const badTime = await gw.api('/api/audit?since=yesterday');
    expect(badTime.status).toBe(400);
    expect(((await badTime.json()) as { error: string }).error).toMatch(/"since" must be a time such as/);
  });
});

describe('the audit routes alone', () => {
  let dir: string;
  let trail: SqliteAuditTrail;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-rest-'));
    trail = SqliteAuditTrail.open(auditPath(dir), null, () => {});
  });
  afterAll(() => {
    trail.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The API's shape: a guard that sets the principal, and an act a role check refuses. */
  const app = (who: Identity) => {
    const hono = new Hono<{ Variables: { principal: Identity } }>();
    hono.onError((error, c) =>
      c.json({ error: error.message }, (error instanceof GatewayError ? error.status : 500) as 403),
    );
    hono.use(
      '/api/*',
      restAudit(trail, () => '10.1.2.3'),
    );
    hono.use('/api/*', async (c, next) => {
      c.set('principal', who);
      await next();
    });
    hono.delete('/api/servers/config/:name', (c) => {
      if (c.get('principal').role === 'viewer') {
        throw new GatewayError(403, 'Removing servers needs the operator role; val has viewer.');
      }
      return c.json({ deleted: c.req.param('name') });
    });
    hono.route('/api/audit', auditRoutes(trail));
    return hono;
  };

  it('records a refused act (403) with who tried, from where, and why', async () => {
    const refused = await app(viewer).request('/api/servers/config/prod', { method: 'DELETE' });
    expect(refused.status).toBe(403);
    const { entries } = trail.query({ limit: 10, order: 'desc' });
    expect(entries[0]).toMatchObject({
      actor: 'val',
      actorRole: 'viewer',
      source: '10.1.2.3',
      action: 'server.remove',
      target: 'prod',
      outcome: 'refused',
      detail: 'Removing servers needs the operator role; val has viewer.',
    });
  });

  it('is for admins only, naming the role needed', async () => {
    const asOperator = await app(bob).request('/api/audit');
    expect(asOperator.status).toBe(403);
    expect(((await asOperator.json()) as { error: string }).error).toMatch(
      /Reading the audit log needs the admin role; bob has operator/,
    );
    expect((await app(OWNER).request('/api/audit')).status).toBe(200);
  });
});
