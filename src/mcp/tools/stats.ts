import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { GatewayError } from '../../core/errors.js';
import { ValueProblem } from '../../filter/errors.js';
import { parseFilter } from '../../filter/parser.js';
import { parseDuration } from '../../filter/values.js';
import { StatsWindowError, statsWindow } from '../../store/stats-window.js';
import type { ManagementDeps } from '../deps.js';
import { statsText } from '../render.js';
import { guarded, ok } from '../results.js';
import { statsSchema } from '../schemas.js';

/** get_stats. */
export function registerStatsTools(server: McpServer, deps: ManagementDeps): void {
  server.registerTool(
    'get_stats',
    {
      title: 'Traffic statistics',
      description:
        'Requests, errors, error rate, p50/p95/p99 duration and tokens per server and method, and over time. The window is the last 24 hours unless the filter bounds it (last:1h, after:2025-05-01). Filter as in search_records.',
      inputSchema: {
        filter: z.string().optional().describe('such as "server:github last:1h"'),
        bucket: z
          .string()
          .optional()
          .describe('time bucket for the series, such as 1m, 5m, 1h (default: about 120 points)'),
        groupBy: z.enum(['server', 'method', 'server+method']).optional(),
      },
      outputSchema: statsSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ filter, bucket, groupBy }) =>
      guarded(async () => {
        const parsed = parseFilter(filter ?? '');
        let window: ReturnType<typeof statsWindow>;
        try {
          window = statsWindow(
            parsed,
            Date.now(),
            bucket ? parseDuration(bucket, 'bucket', null) : undefined,
          );
        } catch (error) {
          if (error instanceof ValueProblem || error instanceof StatsWindowError)
            throw new GatewayError(400, error.message);
          throw error;
        }
        const stats = await deps.reads.stats({
          filter: parsed,
          ...window,
          groupBy: groupBy ?? 'server+method',
        });
        return ok({ ...stats }, statsText(stats));
      }),
  );
}
