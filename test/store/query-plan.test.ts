import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/filter/parser.js';
import { selectRecords } from '../../src/store/query-plan.js';

describe('record selects', () => {
  // SQLite starts an index range scan from the first of two lower bounds on one column and checks the
  // other row by row: statistics' last-hour edge slot under `last:7d` walked a week of the time index.
  it("put the caller's own bounds before the filter's, so the index range starts from them", () => {
    const now = Date.UTC(2026, 10, 30, 12);
    const select = selectRecords(parseFilter('last:7d server:alpha'), {
      columns: 'r.id',
      order: null,
      now,
      extra: [{ sql: 'r.time >= ? AND r.time < ?', params: [now - 60_000, now] }],
    });
    expect(select.sql).toContain(' WHERE r.time >= ? AND r.time < ? AND ');
    expect(select.params.slice(0, 2)).toEqual([now - 60_000, now]);
  });
});
