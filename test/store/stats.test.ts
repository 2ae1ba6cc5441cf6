import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/filter/parser.js';
import { aggregateStats, percentile, type StatsRow } from '../../src/store/stats.js';
import { statsWindow } from '../../src/store/stats-window.js';

const row = (overrides: Partial<StatsRow>): StatsRow => ({
  server: 'a',
  method: 'tools/call',
  kind: 'response',
  time: 0,
  durationMs: null,
  tokens: null,
  failed: 0,
  ...overrides,
});

describe('statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([50, 95, 99]);
    expect(percentile([], 50)).toBeNull();
  });

  it('counts a failed call once, on its answer, and rates errors per request', () => {
    const stats = aggregateStats(
      [
        row({ kind: 'request', failed: 1, time: 0 }),
        row({ kind: 'error', failed: 1, durationMs: 40, time: 10 }),
        row({ kind: 'request', time: 70_000 }),
        row({ kind: 'response', durationMs: 10, tokens: 100, time: 70_010 }),
        row({ server: 'b', method: 'ping', kind: 'request', time: 70_020 }),
      ],
      { from: 0, to: 120_000, bucketMs: 60_000, groupBy: 'server+method' },
    );
    expect(stats.totals).toMatchObject({
      messages: 5,
      requests: 3,
      errors: 1,
      tokens: 100,
      p50Ms: 10,
      maxMs: 40,
    });
    expect(stats.groups[0]).toMatchObject({
      server: 'a',
      method: 'tools/call',
      requests: 2,
      errors: 1,
      errorRate: 0.5,
    });
    expect(stats.series.map((b) => [b.start, b.messages, b.errors])).toEqual([
      [0, 2, 1],
      [60_000, 3, 0],
    ]);
  });

  it('frames the window from the filter and picks a bucket for about 120 points', () => {
    const now = Date.UTC(2025, 4, 1, 12, 0, 30);
    expect(statsWindow(parseFilter('last:1h'), now)).toEqual({
      from: Date.UTC(2025, 4, 1, 11, 0, 30),
      to: now,
      bucketMs: 30_000,
    });
    const day = statsWindow(parseFilter('server:x'), now);
    expect(day.to - day.from).toBeGreaterThanOrEqual(86_400_000);
    expect(day.bucketMs).toBe(900_000);
    expect(statsWindow(parseFilter('after:2h before:1h'), now, 60_000).to).toBe(now - 3_600_000);
    expect(() => statsWindow(parseFilter('last:7d'), now, 1000)).toThrow(/more than 2000 points/);
  });
});
