import { Hono } from 'hono';
import { inScope, type Scope } from '../auth/scope.js';
import { GatewayError } from '../core/errors.js';
import type { PendingServer, PendingServers } from '../ops/pending-servers.js';
import { approvePending, rejectPending } from '../ops/server-changes.js';
import type { Registry } from '../registry/registry.js';
import { jsonObjectBody } from './errors.js';
import { maskEntry } from './masking.js';

export interface PendingServersDeps {
  registry: Registry;
  pending: PendingServers;
  proxyUrl: (name: string) => string;
  /** The asking token's servers: launches for other names are neither listed nor decided (null: all). */
  scope?: () => Scope;
}

/** A held launch as the API shows it: the launch in full (the owner judges it), secrets in the entry masked. */
function pendingToJson(pending: PendingServer): Record<string, unknown> {
  return { ...pending, entry: maskEntry(pending.entry) };
}

/**
 * `GET /api/servers/pending`: stdio launches an MCP client asked for that wait for the owner's approval.
 * `POST /api/servers/pending/<name>/approve` writes the entry to mcp.json (the gateway then starts it);
 * `POST .../reject` discards it. Only the owner reaches these (gateway token or the UI's session).
 */
export function pendingServersRoutes(deps: PendingServersDeps): Hono {
  const app = new Hono();
  const visible = (name: string) => inScope(deps.scope?.() ?? null, name);
  /** A held launch this token may see; the 404 lists only those, so other names do not leak. */
  const known = (name: string) => {
    if (visible(name) && deps.pending.get(name)) return name;
    const names = deps.pending
      .list()
      .map((p) => p.name)
      .filter(visible);
    throw new GatewayError(
      404,
      `No launch of "${name}" is awaiting approval; awaiting: ${names.length > 0 ? names.join(', ') : '(none)'}.`,
    );
  };

  app.get('/', (c) =>
    c.json({
      data: deps.pending
        .list()
        .filter((p) => visible(p.name))
        .map(pendingToJson),
    }),
  );

  app.post('/:name/approve', async (c) => {
    // The body is optional: {"id": "<the id shown>"} makes sure the request approved is the one reviewed.
    const body = (await c.req.text()).trim() === '' ? {} : await jsonObjectBody(c);
    if (body.id !== undefined && typeof body.id !== 'string') {
      throw new GatewayError(
        400,
        '"id" must be the id of the pending request, as GET /api/servers/pending lists it.',
      );
    }
    const approved = approvePending(deps, known(c.req.param('name')), body.id);
    return c.json({
      approved: approved.name,
      action: approved.action,
      commandLine: approved.launch.commandLine,
      proxyUrl: deps.proxyUrl(approved.name),
    });
  });

  app.post('/:name/reject', (c) => {
    const rejected = rejectPending(deps, known(c.req.param('name')));
    return c.json({ rejected: rejected.name, action: rejected.action });
  });

  return app;
}
