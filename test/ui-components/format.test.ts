import { describe, expect, it } from 'vitest';
import { formatCompactCount } from '../../ui/src/format';

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
