import type { GroupStats } from './types';

/** What the Insights screen derives from `GET /api/stats`. Pure. */

export const RANGES = ['5m', '15m', '1h', '6h', '24h', '7d'] as const;
export type Range = (typeof RANGES)[number];

const TIME_TERM = /(^|\s)-?(last|after|since|before|until|time)\s*[:<>=]/i;

/** The filter sent for stats: the user's, framed by the range unless it bounds time itself. */
export function statsFilter(filter: string, range: Range): string {
  if (TIME_TERM.test(filter)) return filter.trim();
  return `${filter.trim()} last:${range}`.trim();
}

/** The range a stats filter was made for (`statsFilter`), or `fallback` when the filter bounds time itself. */
export function rangeOf(filter: string, fallback: Range): Range {
  const last = /(?:^|\s)last:(\S+)$/.exec(filter)?.[1];
  return RANGES.find((r) => r === last) ?? fallback;
}

export function groupLabel(group: Pick<GroupStats, 'server' | 'method'>): string {
  return [group.server, group.method ?? '(no method)'].filter(Boolean).join(' · ');
}

/** The slowest groups by p95 (a method that is slow now and then shows here too), with answers only. */
export function slowest(groups: readonly GroupStats[], count = 5): GroupStats[] {
  return groups
    .filter((g) => g.p95Ms !== null && g.method !== null)
    .sort((a, b) => (b.p95Ms ?? 0) - (a.p95Ms ?? 0))
    .slice(0, count);
}

/** The groups with the most failed answers, then the highest error rate. */
export function mostFailing(groups: readonly GroupStats[], count = 5): GroupStats[] {
  return groups
    .filter((g) => g.errors > 0)
    .sort((a, b) => b.errors - a.errors || b.errorRate - a.errorRate)
    .slice(0, count);
}

/**
 * The servers that answered anything in the range: one that only left stderr lines or gateway notes there
 * (or nothing, being registered) has no requests to compare and would only add a row of zeros.
 */
export function serversWithRequests(groups: readonly GroupStats[]): GroupStats[] {
  return groups.filter((g) => g.requests > 0);
}

/** A bucket size in words: "5 s", "1 min", "1 h", "1 d". */
export function bucketLabel(ms: number): string {
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  if (ms < 86_400_000) return `${ms / 3_600_000} h`;
  return `${ms / 86_400_000} d`;
}
