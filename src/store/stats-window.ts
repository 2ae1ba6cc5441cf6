import type { Filter } from '../filter/ast.js';
import { resolveTime, type TimeSpec } from '../filter/values.js';

/** Statistics cover the last day unless the filter says otherwise (after:, before:, last:, time<>). */
export const DEFAULT_STATS_WINDOW_MS = 24 * 3_600_000;
const MAX_BUCKETS = 2000;
const TARGET_BUCKETS = 120;
const NICE_BUCKETS_MS = [
  1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 10_800_000,
  21_600_000, 43_200_000, 86_400_000, 604_800_000,
];

export interface StatsWindow {
  from: number;
  to: number;
  bucketMs: number;
}

/** Thrown for a window that cannot be charted (too many buckets); its message says what to change. */
export class StatsWindowError extends Error {
  override name = 'StatsWindowError';
}

/**
 * The time window and bucket size for statistics: bounds come from the filter's own time terms, so the
 * filter `last:1h` both selects and frames the chart. Without a bucket, one is chosen for about 120 points.
 * The window starts on a bucket boundary, so buckets line up with the clock (whole minutes, whole hours).
 */
export function statsWindow(filter: Filter, now: number, bucketMs?: number): StatsWindow {
  let from = Number.NEGATIVE_INFINITY;
  let to = now;
  for (const term of filter.terms) {
    if (term.type !== 'field' || term.negated || term.values.length !== 1) continue;
    const lower =
      term.field === 'after' || term.field === 'last' || (term.field === 'time' && term.op.startsWith('>'));
    const upper = term.field === 'before' || (term.field === 'time' && term.op.startsWith('<'));
    if (!lower && !upper) continue;
    const at = resolveTime(term.values[0] as TimeSpec, now);
    if (lower) from = Math.max(from, at);
    else to = Math.min(to, at);
  }
  if (!Number.isFinite(from)) from = to - DEFAULT_STATS_WINDOW_MS;
  const span = Math.max(1, to - from);
  const bucket =
    bucketMs ??
    NICE_BUCKETS_MS.find((size) => span / size <= TARGET_BUCKETS) ??
    (NICE_BUCKETS_MS.at(-1) as number);
  const start = Math.floor(from / bucket) * bucket;
  if ((to - start) / bucket > MAX_BUCKETS) {
    throw new StatsWindowError(
      `bucket ${bucket} ms over this window makes more than ${MAX_BUCKETS} points; choose a larger bucket (such as 1h) or a shorter window (last:1h)`,
    );
  }
  return { from: start, to, bucketMs: bucket };
}
