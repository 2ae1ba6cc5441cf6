import { Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import { runDiff } from '../diff/diff-request.js';
import type { LogReads } from '../store/log-reads.js';

/**
 * `GET /api/diff?a=<id>&b=<id>`: two records side by side with a structural diff of their messages and of
 * their partners (docs/debugging.md). `a=session:<id>&b=session:<id>` compares two sessions call by
 * call (`aServer=`/`bServer=` when an id exists on several servers, `filter=` to narrow the calls).
 * `ignore=<JSON Pointer>` (repeatable) leaves more paths out; `ignoreId=false` compares JSON-RPC ids too.
 * `reads` is the principal's scoped reads: a record or session outside its servers is a 404.
 */
export function diffRoutes(reads: LogReads): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const ignoreId = c.req.query('ignoreId');
    if (ignoreId !== undefined && ignoreId !== 'true' && ignoreId !== 'false') {
      throw new GatewayError(400, `"ignoreId" must be "true" or "false"; got "${ignoreId}".`);
    }
    const result = await runDiff(
      reads,
      {
        a: c.req.query('a') ?? '',
        b: c.req.query('b') ?? '',
        ignore: c.req.queries('ignore') ?? [],
        ignoreId: ignoreId !== 'false',
        aServer: c.req.query('aServer') || undefined,
        bServer: c.req.query('bServer') || undefined,
        filter: c.req.query('filter') || undefined,
      },
      c.req.raw.signal,
    );
    return c.json(result);
  });
  return app;
}
