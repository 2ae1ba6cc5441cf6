import type { Role } from './roles.js';

/**
 * The role every REST route needs, in one table: the `/api/*` guard (app/hono-app.ts) looks each request
 * up here before any handler runs, and test/auth/route-rights.test.ts fails when the app has a route this
 * table does not list. Paths are spelled as Hono registers them (`:name` is one path segment); a path
 * ending in `/*` covers everything below it. The first row that matches wins, so more specific rows come
 * first where paths overlap.
 */
export interface RouteRight {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | '*';
  path: string;
  role: Role;
  /** What the route does, for the 403 ("Restarting a server needs the operator role; ..."). */
  what: string;
}

const row = (method: RouteRight['method'], path: string, role: Role, what: string): RouteRight => ({
  method,
  path,
  role,
  what,
});

export const ROUTE_RIGHTS: readonly RouteRight[] = [
  row('GET', '/api/session', 'viewer', 'Reading who is signed in'),

  // Servers: the registry, their state and their processes.
  row('GET', '/api/servers/config', 'viewer', 'Reading server configuration'),
  row('GET', '/api/servers/config/:name', 'viewer', 'Reading server configuration'),
  row('POST', '/api/servers/config', 'operator', 'Registering a server'),
  row('PUT', '/api/servers/config/:name', 'operator', 'Editing a server'),
  row('DELETE', '/api/servers/config/:name', 'operator', 'Removing a server'),
  // Approving a command the gateway would run is the owner's consent (DESIGN.md, trust model): admin.
  row('GET', '/api/servers/pending', 'admin', 'Reviewing commands that wait for approval'),
  row('POST', '/api/servers/pending/:name/approve', 'admin', 'Approving a command'),
  row('POST', '/api/servers/pending/:name/reject', 'admin', 'Rejecting a command'),
  row('GET', '/api/servers', 'viewer', 'Listing servers'),
  row('GET', '/api/servers/:name', 'viewer', 'Reading a server'),
  row('GET', '/api/servers/:name/status', 'viewer', "Reading a server's status"),
  row('GET', '/api/servers/:name/stderr', 'viewer', "Reading a server's stderr"),
  // A health check only looks (an initialize and a ping), as the monitor does every few seconds anyway.
  row('POST', '/api/servers/:name/health-check', 'viewer', "Checking a server's health"),
  row('POST', '/api/servers/:name/restart', 'operator', 'Restarting a server'),
  row('GET', '/api/servers/:name/tool-changes', 'viewer', "Reading how a server's tools changed"),

  // Captured traffic.
  row('GET', '/api/logs', 'viewer', 'Reading captured traffic'),
  row('GET', '/api/logs/count', 'viewer', 'Counting captured traffic'),
  row('GET', '/api/logs/export', 'viewer', 'Exporting captured traffic'),
  row('POST', '/api/logs/import', 'operator', 'Importing records'),
  row('DELETE', '/api/logs', 'operator', 'Deleting records'),
  row('POST', '/api/logs/clear', 'operator', 'Clearing records'),
  row('GET', '/api/logs/:id', 'viewer', 'Reading a record'),
  // A replay sends traffic to a server: acting on traffic, an operator's.
  row('POST', '/api/logs/:id/replay', 'operator', 'Replaying a request'),
  row('GET', '/api/sessions', 'viewer', 'Listing sessions'),
  row('GET', '/api/sessions/:id', 'viewer', 'Reading a session'),
  row('GET', '/api/sessions/:id/fixture', 'viewer', 'Exporting a session as a mock fixture'),
  row('GET', '/api/clients', 'viewer', 'Listing clients'),
  row('GET', '/api/methods', 'viewer', 'Listing methods'),
  row('GET', '/api/stats', 'viewer', 'Reading statistics'),
  row('GET', '/api/diff', 'viewer', 'Comparing records or sessions'),
  row('GET', '/api/events', 'viewer', 'Following the live feed'),
  row('GET', '/api/filter/fields', 'viewer', 'Reading the filter language'),
  row('GET', '/api/filter/values', 'viewer', 'Reading filter values'),
  row('GET', '/api/filter/check', 'viewer', 'Checking a filter'),
  row('GET', '/api/status', 'viewer', "Reading the gateway's status"),
  // Prometheus' scrape (docs/metrics.md): counts and states, no payloads.
  row('GET', '/metrics', 'viewer', 'Reading metrics'),

  // Breakpoints. Held messages are traffic as it was sent, before redaction: only those who may act on
  // them read them.
  row('GET', '/api/intercepts', 'viewer', 'Reading breakpoint rules'),
  row('POST', '/api/intercepts', 'operator', 'Adding a breakpoint'),
  row('GET', '/api/intercepts/held', 'operator', 'Reading held messages'),
  row('POST', '/api/intercepts/held/:id/forward', 'operator', 'Forwarding a held message'),
  row('POST', '/api/intercepts/held/:id/drop', 'operator', 'Dropping a held message'),
  row('POST', '/api/intercepts/held/:id/reply', 'operator', 'Answering a held message'),
  row('DELETE', '/api/intercepts/:id', 'operator', 'Removing a breakpoint'),
  // Fault injection: anyone who reads traffic may see what the gateway is doing to it; arming is acting.
  row('GET', '/api/faults', 'viewer', 'Listing fault rules'),
  row('POST', '/api/faults', 'operator', 'Adding a fault rule'),
  row('DELETE', '/api/faults/:id', 'operator', 'Removing a fault rule'),

  // The owner's credentials, who holds a token, and who did what.
  row('*', '/api/secrets', 'admin', 'Managing secrets'),
  row('*', '/api/secrets/*', 'admin', 'Managing secrets'),
  row('*', '/api/tokens', 'admin', 'Managing tokens'),
  row('*', '/api/tokens/*', 'admin', 'Managing tokens'),
  row('*', '/api/audit', 'admin', 'Reading the audit log'),
  row('*', '/api/audit/*', 'admin', 'Reading the audit log'),
];

interface CompiledRight extends RouteRight {
  pattern: RegExp;
}

function compile(right: RouteRight): CompiledRight {
  const prefix = right.path.endsWith('/*');
  const segments = (prefix ? right.path.slice(0, -2) : right.path).split('/').map((segment) =>
    // Hono's `:name` is one segment; anything else is literal.
    segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  return { ...right, pattern: new RegExp(`^${segments.join('/')}${prefix ? '/.+' : '/?'}$`) };
}

const COMPILED = ROUTE_RIGHTS.map(compile);

/**
 * The right a request needs, or undefined when no row lists it. HEAD is answered by GET handlers
 * (RFC 9110 §9.3.2), so it needs what GET needs.
 */
export function routeRight(method: string, path: string): RouteRight | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  return COMPILED.find(
    (right) => (right.method === '*' || right.method === wanted) && right.pattern.test(path),
  );
}
