import { describe, expect, it } from 'vitest';
import { linear, niceTicks, shortNumber, timeLabel, timeTicks } from '../../ui/src/chart-scale.js';
import { chartSummary } from '../../ui/src/components/ChartKey.js';
import { bucketLabel, mostFailing, rangeOf, slowest, statsFilter } from '../../ui/src/insights.js';
import type { GroupStats } from '../../ui/src/types.js';

describe('chart scales', () => {
  it('picks round ticks that cover the largest value', () => {
    expect(niceTicks(17)).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(0.9)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('puts time ticks on whole steps of the clock', () => {
    const from = new Date(2025, 4, 1, 9, 3, 20).getTime();
    const ticks = timeTicks(from, from + 30 * 60_000);
    expect(ticks.map((t) => timeLabel(t, 30 * 60_000))).toEqual([
      '09:05',
      '09:10',
      '09:15',
      '09:20',
      '09:25',
      '09:30',
    ]);
    expect(timeLabel(from, 60_000)).toBe('09:03:20');
  });

  it('maps values linearly and writes axis numbers short', () => {
    expect(linear([0, 10], [100, 0])(2.5)).toBe(75);
    expect([shortNumber(950), shortNumber(1234), shortNumber(3_400_000)]).toEqual(['950', '1.23k', '3.4M']);
  });
});

const group = (fields: Partial<GroupStats>): GroupStats => ({
  server: 's',
  method: 'm',
  messages: 0,
  requests: 0,
  errors: 0,
  errorRate: 0,
  p50Ms: null,
  p95Ms: null,
  p99Ms: null,
  maxMs: null,
  tokens: 0,
  ...fields,
});

describe('insights', () => {
  it('frames the filter with the time range unless it bounds time itself', () => {
    expect(statsFilter('', '1h')).toBe('last:1h');
    expect(statsFilter('server:github ', '15m')).toBe('server:github last:15m');
    expect(statsFilter('after:2025-05-01 server:x', '1h')).toBe('after:2025-05-01 server:x');
    expect(statsFilter('time>=2h', '1h')).toBe('time>=2h');
  });

  it('reads back the range a shown answer was for, so a stale answer is not labelled with the new range', () => {
    expect(rangeOf(statsFilter('server:x', '7d'), '1h')).toBe('7d');
    expect(rangeOf(statsFilter('after:2025-05-01', '6h'), '1h')).toBe('1h');
  });

  it('ranks the slowest by p95 and the most failing by errors, then rate', () => {
    const groups = [
      group({ method: 'fast', p95Ms: 3 }),
      group({ method: 'slow', p95Ms: 900, errors: 1, errorRate: 0.5 }),
      group({ method: null, p95Ms: 5000 }),
      group({ method: 'flaky', p95Ms: 40, errors: 1, errorRate: 1 }),
      group({ method: 'broken', errors: 7, errorRate: 0.2 }),
    ];
    expect(slowest(groups).map((g) => g.method)).toEqual(['slow', 'flaky', 'fast']);
    expect(mostFailing(groups).map((g) => g.method)).toEqual(['broken', 'flaky', 'slow']);
    expect([bucketLabel(10_000), bucketLabel(300_000), bucketLabel(3_600_000)]).toEqual([
      '10 s',
      '5 min',
      '1 h',
    ]);
  });
});

describe('chart text alternative', () => {
  it("says each series' highest value and when, or that it has none", () => {
    const start = new Date(2025, 4, 1, 9, 0).getTime();
    const starts = [0, 1, 2].map((i) => start + i * 60_000);
    const series = (label: string, values: (number | null)[]) =>
      ({ label, kind: 'line', color: '', swatch: '', values }) as const;
    const summary = chartSummary(
      [series('p50', [3, 12, null]), series('p99', [null, null, null]), series('errors', [0, 0, 0])],
      starts,
      (v) => `${v} ms`,
    );
    expect(summary).toBe('p50: highest 12 ms at 09:01:00; p99: none; errors: none');
  });
});
