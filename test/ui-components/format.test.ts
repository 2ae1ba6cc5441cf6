import { describe, expect, it } from 'vitest';
import { formatCompactCount, formatFullTime, formatRowTime } from '../../ui/src/format';

describe('counts in narrow columns', () => {
  it('stay exact while short, then shorten so a 1 MB result still fits', () => {
    expect([null, 0, 26, 9_999, 10_000, 262_144, 1_250_000].map(formatCompactCount)).toEqual([
      '',
      '0',
      '26',
      '9,999',
      '10K',
      '262.1K',
      '1.3M',
    ]);
  });
});

describe('row times', () => {
  const now = new Date(2026, 10, 30, 12, 0, 0).getTime();

  it('show the time of day for today, and put the day in front of older rows', () => {
    expect(formatRowTime(new Date(2026, 10, 30, 9, 5, 7, 42).getTime(), now)).toBe('09:05:07.042');
    const yesterday = formatRowTime(new Date(2026, 10, 29, 14, 3, 5).getTime(), now);
    expect(yesterday).toMatch(/29/);
    expect(yesterday).toMatch(/ 14:03:05$/);
    expect(yesterday).not.toBe(formatRowTime(new Date(2026, 10, 28, 14, 3, 5).getTime(), now));
  });

  it('give the year for rows of another year, and the full moment for tooltips', () => {
    const lastYear = new Date(2025, 10, 28, 14, 3, 5, 9).getTime();
    expect(formatRowTime(lastYear, now)).toBe('2025-11-28 14:03');
    expect(formatFullTime(lastYear)).toBe('2025-11-28 14:03:05.009');
  });
});
