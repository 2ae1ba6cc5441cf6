import type { RecordPage } from './log-store.js';
import { type RecordRow, rowToRecord } from './rows.js';

/** Pages of records as both stores read them: keyset by id, bodies bounded in bytes (record-queries.ts). */

export const ITERATE_PAGE = 500;
/** Message bytes per page while iterating (exports): a run of large results is read a few at a time. */
export const ITERATE_BYTES = 8 * 1024 * 1024;

export type BodyRow = Pick<RecordRow, 'id' | 'message' | 'request_headers' | 'response_headers'>;

/** How many of `rows` (a page and one more) fit in `maxBytes` of messages: always at least one. */
export function fitting(rows: readonly RecordRow[], limit: number, maxBytes: number): number {
  let bytes = 0;
  for (let index = 0; index < Math.min(rows.length, limit); index++) {
    bytes += (rows[index] as RecordRow).size;
    if (bytes > maxBytes && index > 0) return index;
  }
  return limit;
}

export function page(rows: RecordRow[], limit: number): RecordPage {
  const hasMore = rows.length > limit;
  const records = (hasMore ? rows.slice(0, limit) : rows).map(rowToRecord);
  const last = records[records.length - 1];
  return { records, hasMore, nextCursor: hasMore && last ? String(last.id) : null };
}
