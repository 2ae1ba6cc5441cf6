import { Hono } from 'hono';
import type { Scope } from '../auth/scope.js';
import { MAX_TOOL_CHANGES_PAGE, readToolChanges, type ToolChangeReads } from '../diff/tool-changes.js';
import type { Registry } from '../registry/registry.js';
import { integerParam } from './query-params.js';

/**
 * `GET /api/servers/<name>/tool-changes`: how the server's `tools/list` answer changed over time, newest
 * first, each change with its per-tool diff (capture/listeners/tool-drift.ts); `limit=` (default 20) and
 * `before=<change id>` page back.
 */
export function toolChangesRoutes(deps: {
  toolLists: ToolChangeReads;
  registry: Registry;
  scope: () => Scope;
}): Hono {
  const app = new Hono();
  app.get('/:name/tool-changes', async (c) => {
    const name = c.req.param('name');
    const limit = integerParam(c.req.query('limit'), 'limit', 1, MAX_TOOL_CHANGES_PAGE) ?? 20;
    const before = integerParam(c.req.query('before'), 'before', 1, Number.MAX_SAFE_INTEGER);
    return c.json(
      await readToolChanges(
        deps.toolLists,
        deps.scope(),
        (server) => deps.registry.get(server) !== undefined,
        name,
        limit,
        before,
      ),
    );
  });
  return app;
}
