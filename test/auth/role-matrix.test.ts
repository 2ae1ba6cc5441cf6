import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Role, roleAllows } from '../../src/auth/roles.js';
import { ROUTE_RIGHTS, routeRight } from '../../src/auth/route-rights.js';
import { as, startTwoServers, type TwoServers, type Who } from './two-servers.js';

/** What each principal of the matrix is: its role, and the servers it may see (null: all). */
const PRINCIPALS: Record<Exclude<Who, 'betaOperator'>, { role: Role; servers: string[] | null }> = {
  owner: { role: 'admin', servers: null },
  admin: { role: 'admin', servers: null },
  operator: { role: 'operator', servers: null },
  viewer: { role: 'viewer', servers: null },
  betaViewer: { role: 'viewer', servers: ['beta'] },
};

interface Case {
  method: string;
  /** `{who}` is replaced by the principal's name, `{record}` and `{session}` by alpha's. */
  path: string;
  body?: string;
  /** The role the route needs, written down here independently of the route table. */
  needs: Role;
  /** The server the request is about: outside a principal's scope it is a 404, never a 403. */
  server?: string;
  /** The status a principal that may use the route gets (each request is made harmless enough). */
  ok: number;
}

const UNREACHABLE = JSON.stringify({ type: 'http', url: 'http://127.0.0.1:9/mcp' });

const CASES: Case[] = [
  { method: 'GET', path: '/api/session', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/servers/config', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/servers/config/alpha', needs: 'viewer', server: 'alpha', ok: 200 },
  {
    method: 'POST',
    path: '/api/servers/config',
    body: JSON.stringify({ name: 'tmp-{who}', type: 'http', url: 'http://127.0.0.1:9/mcp' }),
    needs: 'operator',
    ok: 201,
  },
  {
    method: 'PUT',
    path: '/api/servers/config/gamma',
    body: UNREACHABLE,
    needs: 'operator',
    server: 'gamma',
    ok: 200,
  },
  { method: 'DELETE', path: '/api/servers/config/tmp-{who}', needs: 'operator', ok: 200 },
  { method: 'GET', path: '/api/servers/pending', needs: 'admin', ok: 200 },
  // Nothing is pending: an admin is let through and told so.
  { method: 'POST', path: '/api/servers/pending/nothing/approve', needs: 'admin', ok: 404 },
  { method: 'POST', path: '/api/servers/pending/nothing/reject', needs: 'admin', ok: 404 },
  { method: 'GET', path: '/api/servers', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/servers/alpha', needs: 'viewer', server: 'alpha', ok: 200 },
  { method: 'GET', path: '/api/servers/alpha/status', needs: 'viewer', server: 'alpha', ok: 200 },
  { method: 'GET', path: '/api/servers/alpha/stderr', needs: 'viewer', server: 'alpha', ok: 200 },
  { method: 'POST', path: '/api/servers/gamma/health-check', needs: 'viewer', server: 'gamma', ok: 200 },
  { method: 'POST', path: '/api/servers/gamma/restart', needs: 'operator', server: 'gamma', ok: 200 },
  { method: 'GET', path: '/api/servers/alpha/tool-changes', needs: 'viewer', server: 'alpha', ok: 200 },
  { method: 'GET', path: '/api/logs', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/logs/count', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/logs/export', needs: 'viewer', ok: 200 },
  { method: 'POST', path: '/api/logs/import', body: '{import}', needs: 'operator', ok: 200 },
  { method: 'DELETE', path: '/api/logs?filter=id:0', needs: 'operator', ok: 200 },
  { method: 'POST', path: '/api/logs/clear', body: '{"filter":"id:0"}', needs: 'operator', ok: 200 },
  { method: 'GET', path: '/api/logs/{record}', needs: 'viewer', server: 'alpha', ok: 200 },
  // An edit that is no request: refused before anything is sent, whatever the record is.
  {
    method: 'POST',
    path: '/api/logs/{record}/replay',
    body: '{"message":1}',
    needs: 'operator',
    server: 'alpha',
    ok: 400,
  },
  { method: 'GET', path: '/api/sessions', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/sessions/{session}?server=alpha', needs: 'viewer', server: 'alpha', ok: 200 },
  {
    method: 'GET',
    path: '/api/sessions/{session}/fixture?server=alpha',
    needs: 'viewer',
    server: 'alpha',
    ok: 200,
  },
  { method: 'GET', path: '/api/clients', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/methods', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/stats', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/diff?a={record}&b={record}', needs: 'viewer', server: 'alpha', ok: 200 },
  { method: 'GET', path: '/api/events', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/filter/fields', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/filter/values?field=server', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/filter/check?filter=server:alpha', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/status', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/metrics', needs: 'viewer', ok: 200 },
  { method: 'GET', path: '/api/faults', needs: 'viewer', ok: 200 },
  // A rule no message matches (a method nobody calls), so arming it harms no other case.
  {
    method: 'POST',
    path: '/api/faults',
    body: '{"filter":"method:matrix/{who}","delayMs":1}',
    needs: 'operator',
    ok: 201,
  },
  // No such rule: an operator is let through and told so.
  { method: 'DELETE', path: '/api/faults/nothing', needs: 'operator', ok: 404 },
  { method: 'GET', path: '/api/intercepts', needs: 'viewer', ok: 200 },
  // As above: a breakpoint on a method nobody calls holds nothing.
  {
    method: 'POST',
    path: '/api/intercepts',
    body: '{"filter":"method:matrix/{who}"}',
    needs: 'operator',
    ok: 201,
  },
  // Held messages are traffic before redaction: an operator's, like acting on them.
  { method: 'GET', path: '/api/intercepts/held', needs: 'operator', ok: 200 },
  { method: 'POST', path: '/api/intercepts/held/999999/forward', body: '{}', needs: 'operator', ok: 404 },
  { method: 'POST', path: '/api/intercepts/held/999999/drop', body: '{}', needs: 'operator', ok: 404 },
  {
    method: 'POST',
    path: '/api/intercepts/held/999999/reply',
    body: '{"message":{"result":{}}}',
    needs: 'operator',
    ok: 404,
  },
  { method: 'DELETE', path: '/api/intercepts/nothing', needs: 'operator', ok: 404 },
  { method: 'GET', path: '/api/secrets', needs: 'admin', ok: 200 },
  { method: 'PUT', path: '/api/secrets/MATRIX_{who}', body: '{"value":"v"}', needs: 'admin', ok: 200 },
  { method: 'DELETE', path: '/api/secrets/MATRIX_{who}', needs: 'admin', ok: 200 },
];

describe('who may do what: every REST route with every role', () => {
  let context: TwoServers;
  let record: number;
  let importLine: string;

  beforeAll(async () => {
    context = await startTwoServers();
    const page = (await (await as(context, 'owner', '/api/logs?server=alpha&limit=1')).json()) as {
      data: { id: number }[];
    };
    record = page.data[0]?.id as number;
    importLine = (await (await as(context, 'owner', `/api/logs/export?filter=id:${record}`)).text()).trim();
  }, 60_000);
  afterAll(async () => {
    await context?.gw.stop();
  });

  it('covers every row of the route table', () => {
    const covered = (row: (typeof ROUTE_RIGHTS)[number]) =>
      CASES.some((c) => {
        const right = routeRight(c.method, c.path.split('?')[0] as string);
        return right?.path === row.path && right.method === row.method;
      });
    const missing = ROUTE_RIGHTS.filter(
      (row) => !row.path.startsWith('/api/tokens') && !row.path.startsWith('/api/audit') && !covered(row),
    );
    expect(missing).toEqual([]);
  });

  for (const [who, principal] of Object.entries(PRINCIPALS) as [Who, (typeof PRINCIPALS)['owner']][]) {
    it(`answers ${who} (${principal.role}${principal.servers ? ` of ${principal.servers}` : ''}) as its role and scope allow`, async () => {
      const wrong: string[] = [];
      for (const c of CASES) {
        const path = c.path
          .replaceAll('{who}', who)
          .replaceAll('{record}', String(record))
          .replace('{session}', context.sessions.alpha);
        const body = c.body?.replaceAll('{who}', who).replace('{import}', importLine);
        const response = await as(context, who, path, { method: c.method, body });
        const text = c.path === '/api/events' ? '' : await response.text();
        if (c.path === '/api/events') await response.body?.cancel();
        const allowed = roleAllows(principal.role, c.needs);
        const visible = !c.server || !principal.servers || principal.servers.includes(c.server);
        const expected = !allowed ? 403 : !visible ? 404 : c.ok;
        if (response.status !== expected) {
          wrong.push(`${c.method} ${path}: ${response.status}, expected ${expected}: ${text.slice(0, 200)}`);
        } else if (expected === 403) {
          // The refusal names the role needed, so the person knows what to ask for.
          const { error } = JSON.parse(text) as { error: string };
          if (!error.includes(`needs the ${c.needs} role`)) wrong.push(`${c.method} ${path}: ${error}`);
        } else if (expected === 404 && !visible) {
          // The same 404 as for a server that does not exist: it lists no server outside the scope.
          const leaked = ['alpha', 'gamma'].filter((name) => name !== c.server && text.includes(name));
          if (leaked.length > 0) wrong.push(`${c.method} ${path}: the 404 names ${leaked}: ${text}`);
        }
      }
      expect(wrong).toEqual([]);
    }, 60_000);
  }

  it('keeps unknown API paths a 404 for every role', async () => {
    for (const who of Object.keys(PRINCIPALS) as Who[]) {
      expect((await as(context, who, '/api/no-such-thing')).status, who).toBe(404);
      expect((await as(context, who, '/api/logs/export/extra', { method: 'POST' })).status, who).toBe(404);
    }
  });
});
