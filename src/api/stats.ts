import { Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import { ValueProblem } from '../filter/errors.js';
import { parseDuration } from '../filter/values.js';
import type { LogReads } from '../store/log-reads.js';
import type { StatsQuery } from '../store/log-store.js';
import { StatsWindowError, statsWindow } from '../store/stats-window.js';
import { jsonBytes } from './json-body.js';
import { requestFilter } from './query-params.js';

const GROUPINGS = new Set(['server', 'method', 'server+method']);

/**
 * `GET /api/stats?filter=...&bucket=1m&groupBy=server+method`: per group, counts, error rate,
 * p50/p95/p99 duration and tokens; and the same per time bucket, for charts. The window is the last 24
 * hours unless the filter bounds it (`last:1h`, `after:`, `before:`).
 */
export function statsRoutes(reads: LogReads): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const filter = requestFilter(c);
    const groupBy = c.req.query('groupBy') || 'server+method';
    if (!GROUPINGS.has(groupBy)) {
      throw new GatewayError(400, `"groupBy" must be server, method or server+method; got "${groupBy}".`);
    }
    let bucketMs: number | undefined;
    const bucket = c.req.query('bucket');
    try {
      if (bucket) bucketMs = parseDuration(bucket, 'bucket', null);
      if (bucketMs !== undefined && bucketMs < 1000) throw new ValueProblem('bucket must be at least 1s');
      const window = statsWindow(filter, Date.now(), bucketMs);
      const query = { filter, ...window, groupBy: groupBy as StatsQuery['groupBy'] };
      return jsonBytes(c, await reads.statsText(query, c.req.raw.signal));
    } catch (error) {
      if (error instanceof ValueProblem || error instanceof StatsWindowError) {
        throw new GatewayError(400, `"bucket": ${error.message}.`);
      }
      throw error;
    }
  });
  return app;
}
