import { afterEach, describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/filter/parser.js';
import { bucketLowerBound, bucketOf, bucketUpperBound } from '../../src/store/latency-histogram.js';
import { backfillRollups } from '../../src/store/migration-rollups.js';
import { Retention } from '../../src/store/retention.js';
import type { Aggregate, StatsResult } from '../../src/store/stats.js';
import { planRollups } from '../../src/store/stats-rollups.js';
import { statsWindow } from '../../src/store/stats-window.js';
import { openTestStore, type TestStore } from '../helpers/records.js';
import { statsTraffic } from '../helpers/stats-traffic.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 30, 12, 17, 42, 500);
/** Matches every record but is nothing rollups keep, so the store answers it from the raw rows. */
const RAW = '-client:"no such client"';

function stats(
  t: TestStore,
  filter: string,
  groupBy: 'server' | 'method' | 'server+method' = 'server+method',
) {
  const parsed = parseFilter(filter);
  return t.store.stats({ filter: parsed, groupBy, ...statsWindow(parsed, NOW) });
}

function expectClose(rolled: Aggregate, raw: Aggregate): void {
  const { p50Ms, p95Ms, p99Ms, maxMs, errorRate, ...counts } = rolled;
  const { p50Ms: r50, p95Ms: r95, p99Ms: r99, maxMs: rMax, errorRate: rRate, ...rawCounts } = raw;
  expect(counts).toEqual(rawCounts);
  expect(errorRate).toBeCloseTo(rRate, 10);
  for (const [estimate, exact] of [
    [p50Ms, r50],
    [p95Ms, r95],
    [p99Ms, r99],
    [maxMs, rMax],
  ] as const) {
    if (exact === null) {
      expect(estimate).toBeNull();
      continue;
    }
    // Within the histogram bucket the exact value lies in (its upper end included).
    const bucket = bucketOf(exact);
    expect(estimate).not.toBeNull();
    expect(estimate as number).toBeGreaterThanOrEqual(bucketLowerBound(bucket));
    expect(estimate as number).toBeLessThanOrEqual(bucketUpperBound(bucket));
  }
}

function expectSame(rolled: StatsResult, raw: StatsResult): void {
  expect([rolled.from, rolled.to, rolled.bucketMs]).toEqual([raw.from, raw.to, raw.bucketMs]);
  expectClose(rolled.totals, raw.totals);
  const key = (g: { server: string | null; method: string | null }) => `${g.server}/${g.method}`;
  expect(rolled.groups.map(key).sort()).toEqual(raw.groups.map(key).sort());
  for (const group of rolled.groups) {
    expectClose(group, raw.groups.find((g) => key(g) === key(group)) as Aggregate);
  }
  expect(rolled.series.map((b) => b.start)).toEqual(raw.series.map((b) => b.start));
  rolled.series.forEach((bucket, i) => {
    expectClose(bucket, raw.series[i] as Aggregate);
  });
}

describe('statistics rollups', () => {
  let t: TestStore;
  afterEach(() => t.close());

  it('answer charts over days from rollups, as the raw records would', () => {
    t = openTestStore();
    t.write(statsTraffic(3000, NOW));
    for (const filter of ['last:7d', 'last:6h', 'server:alpha,beta last:3d', '-method:initialize']) {
      for (const groupBy of ['server', 'method', 'server+method'] as const) {
        expectSame(stats(t, filter, groupBy), stats(t, `${filter} ${RAW}`, groupBy));
      }
    }
  });

  it('are used for server, method and time filters over whole minutes, and not for anything else', () => {
    const plan = (filter: string) => {
      const parsed = parseFilter(filter);
      return planRollups({ filter: parsed, groupBy: 'server', ...statsWindow(parsed, NOW) });
    };
    expect(plan('last:7d')?.spans[0]?.level).toBe(HOUR);
    expect(plan('last:24h server:alpha -method:ping')?.spans[0]?.level).toBe(300_000);
    expect(plan('last:1h')).toBeNull(); // 30 s buckets
    expect(plan('last:7d summary~timeout')).toBeNull();
    expect(plan('last:7d server:alp*')).toBeNull();
    expect(plan('last:7d client:cursor')).toBeNull();
  });

  it('cover the window edges with smaller slots, so under a minute at each end is read from the records', () => {
    const DAY = 24 * HOUR;
    for (const [filter, lower] of [
      ['last:7d', NOW - 7 * DAY],
      ['last:24h', NOW - DAY],
      ['last:3d server:alpha', NOW - 3 * DAY],
      ['after:2026-11-29T10:07:13Z', Date.UTC(2026, 10, 29, 10, 7, 13)],
    ] as const) {
      const parsed = parseFilter(filter);
      const window = statsWindow(parsed, NOW);
      const plan = planRollups({ filter: parsed, groupBy: 'server', ...window });
      expect(plan, filter).not.toBeNull();
      if (!plan) continue;
      // Spans and record ranges tile the window: no gap, no overlap.
      const pieces = [
        ...plan.spans.map((s) => [s.from, s.to] as const),
        ...plan.records.map(([from, to]) => [from, to] as const),
      ].sort((a, b) => a[0] - b[0]);
      expect(pieces[0]?.[0]).toBe(window.from);
      expect(pieces.at(-1)?.[1]).toBe(window.to);
      for (let i = 1; i < pieces.length; i++) expect(pieces[i]?.[0]).toBe(pieces[i - 1]?.[1]);
      // Each slot lies in one chart bucket.
      for (const span of plan.spans) {
        expect(span.from % span.level).toBe(0);
        expect(span.to % span.level).toBe(0);
        expect(window.bucketMs % span.level).toBe(0);
      }
      // The records read: before the filter's bound (which the filter itself leaves out), and then at most
      // a minute at each end of the part it keeps.
      const first = plan.records[0] as [number, number];
      const last = plan.records.at(-1) as [number, number];
      expect(first[1] - lower).toBeLessThanOrEqual(60_000);
      expect(last[1]).toBe(window.to);
      expect(last[1] - last[0]).toBeLessThan(60_000);
    }
  });

  it('stay exact when records are deleted by filter, by retention and all at once', async () => {
    t = openTestStore();
    t.write(statsTraffic(3000, NOW, 11));
    await t.store.deleteMatching(parseFilter('server:beta method:tools/call'));
    expectSame(stats(t, 'last:7d'), stats(t, `last:7d ${RAW}`));
    await new Retention(t.db, { days: 2, maxBytes: 0 }).run(NOW);
    expectSame(stats(t, 'last:7d'), stats(t, `last:7d ${RAW}`));
    expectSame(stats(t, 'last:24h', 'method'), stats(t, `last:24h ${RAW}`, 'method'));
    await t.store.deleteMatching(parseFilter(''));
    expect(stats(t, 'last:7d').totals.messages).toBe(0);
    expect(t.db.prepare('SELECT count(*) AS n FROM rollups').get()).toEqual({ n: 0 });
  });

  it('are built for records stored before they existed', () => {
    t = openTestStore();
    t.write(statsTraffic(2000, NOW, 5));
    const before = stats(t, 'last:7d');
    t.db.exec('DELETE FROM rollups');
    expect(stats(t, 'last:7d').totals.messages).toBeLessThan(before.totals.messages);
    backfillRollups(t.db);
    expect(stats(t, 'last:7d')).toEqual(before);
  });
});
