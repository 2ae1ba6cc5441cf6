import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type pg from 'pg';
import type { Filter } from '../../filter/ast.js';
import type { AsyncLogStore } from '../log-store.js';
import { selectPostgres } from './select.js';

/** Rows per transaction: each holds its row locks for a few milliseconds, so capture writes never queue. */
const DELETE_BATCH = 500;

/**
 * Deletes what matches, oldest first, in small transactions (as store/record-writes.ts does on SQLite).
 * Only records that existed when it was asked are deleted: whatever any instance captures meanwhile stays.
 * The sessions' and methods' running totals are the writer's to keep (its AFTER DELETE trigger); summaries
 * left with no messages are dropped at the end.
 */
export function postgresDelete(pool: pg.Pool): Pick<AsyncLogStore, 'deleteMatching'> {
  return {
    async deleteMatching(filter: Filter): Promise<number> {
      const last =
        (await pool.query<{ id: number | null }>('SELECT max(id) AS id FROM records')).rows[0]?.id ?? 0;
      const now = Date.now();
      let cursor = 0;
      let deleted = 0;
      for (;;) {
        const select = selectPostgres(filter, {
          columns: 'r.id AS id',
          order: 'asc',
          cursor,
          limit: DELETE_BATCH,
          now,
          extra: [{ sql: 'r.id <= $?', params: [last] }],
        });
        const ids = (await pool.query<{ id: number }>(select.text, select.values)).rows.map((r) => r.id);
        if (ids.length === 0) break;
        await pool.query('DELETE FROM records WHERE id = ANY($1::bigint[])', [ids]);
        deleted += ids.length;
        cursor = ids[ids.length - 1] as number;
        await yieldToEventLoop();
      }
      if (deleted > 0) {
        await pool.query('DELETE FROM sessions WHERE messages <= 0');
        await pool.query('DELETE FROM method_totals WHERE messages <= 0');
        await pool.query('DELETE FROM rollups WHERE messages <= 0');
        await pool.query('DELETE FROM rollup_latency WHERE count <= 0');
      }
      return deleted;
    },
  };
}
