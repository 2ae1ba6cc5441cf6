import { describe, expect, it } from 'vitest';
import { createHonoApp, type HonoAppDeps } from '../../src/app/hono-app.js';
import { NO_AUDIT } from '../../src/audit/audit-trail.js';
import type { Identity } from '../../src/auth/identity.js';
import { ROUTE_RIGHTS, routeRight } from '../../src/auth/route-rights.js';

const VIEWER: Identity = { actor: 'reader', kind: 'token', role: 'viewer', servers: null, expiresAt: null };

/** The app, built with deps no route touches while being built; "owner" and "reader" are its tokens. */
function buildApp() {
  const deps = {
    pending: { onChange: () => () => {}, list: () => [] },
    registry: {},
    audit: NO_AUDIT,
    log: () => {},
    checkToken: (candidate: string | null) => candidate === 'owner',
    tokens: { lookup: (value: string) => (value === 'reader' ? VIEWER : undefined), stillValid: () => true },
  } as unknown as HonoAppDeps;
  return createHonoApp(deps);
}

function apiRoutes(): { method: string; path: string }[] {
  const app = buildApp();
  const seen = new Set<string>();
  return app.routes
    .filter(
      (route) => (route.path.startsWith('/api/') || route.path === '/metrics') && route.method !== 'ALL',
    )
    .filter((route) => {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ method, path }) => ({ method, path }));
}

describe('the route table', () => {
  it('lists every REST route the app has, with the role it needs', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(30);
    const unlisted = routes.filter(({ method, path }) => routeRight(method, path) === undefined);
    expect(unlisted, 'add these to src/auth/route-rights.ts').toEqual([]);
  });

  it('has no row that matches no route (tokens and audit belong to their own pages)', () => {
    const routes = apiRoutes();
    const unused = ROUTE_RIGHTS.filter(
      (row) =>
        !row.path.startsWith('/api/tokens') &&
        !row.path.startsWith('/api/audit') &&
        !routes.some((route) => {
          const right = routeRight(route.method, route.path);
          return right?.path === row.path && right.method === row.method;
        }),
    );
    expect(unused).toEqual([]);
  });

  it('gives reads to viewers, server changes to operators and the owner’s affairs to admins', () => {
    expect(routeRight('GET', '/api/logs')?.role).toBe('viewer');
    expect(routeRight('HEAD', '/api/logs/12')?.role).toBe('viewer');
    expect(routeRight('GET', '/api/servers/config')?.role).toBe('viewer');
    expect(routeRight('GET', '/api/servers/config/alpha')?.role).toBe('viewer');
    expect(routeRight('POST', '/api/servers/config')?.role).toBe('operator');
    expect(routeRight('POST', '/api/servers/alpha/restart')?.role).toBe('operator');
    expect(routeRight('POST', '/api/logs/clear')?.role).toBe('operator');
    expect(routeRight('POST', '/api/servers/pending/alpha/approve')?.role).toBe('admin');
    expect(routeRight('PUT', '/api/secrets/GITHUB_TOKEN')?.role).toBe('admin');
    expect(routeRight('DELETE', '/api/tokens/ci-bot')?.role).toBe('admin');
    expect(routeRight('GET', '/api/audit')?.role).toBe('admin');
    expect(routeRight('GET', '/api/no-such-thing')).toBeUndefined();
  });

  it('keeps a route the table forgot to admins, and an unknown path a 404', async () => {
    const app = buildApp();
    app.get('/api/forgotten', (c) => c.json({ ok: true }));
    const as = (token: string, path: string) =>
      app.request(path, { headers: { authorization: `Bearer ${token}` } });
    expect((await as('owner', '/api/forgotten')).status).toBe(200);
    const refused = await as('reader', '/api/forgotten');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toContain('needs the admin role');
    expect((await as('reader', '/api/no-such-thing')).status).toBe(404);
  });
});
