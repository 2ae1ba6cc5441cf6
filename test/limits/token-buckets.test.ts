import { describe, expect, it } from 'vitest';
import { describeRate, parsePeriod, parseRate } from '../../src/limits/rate.js';
import { retryAfterSeconds, TokenBuckets } from '../../src/limits/token-buckets.js';

describe('rates', () => {
  it('reads requests per period in seconds, minutes or hours, up to a day', () => {
    expect(parseRate('600/1m')).toEqual({ requests: 600, perMs: 60_000 });
    expect(parseRate('5/2s')).toEqual({ requests: 5, perMs: 2000 });
    expect(parseRate('100/h')).toEqual({ requests: 100, perMs: 3_600_000 });
    expect(parsePeriod('24h')).toBe(86_400_000);
    for (const bad of ['600', '0/1m', '-1/1m', '1.5/1m', '10/1 minute', '10/0s', '10/25h', '10/1d', 'x/1m']) {
      expect(parseRate(bad), bad).toBeNull();
    }
    expect(describeRate({ requests: 60, perMs: 60_000 })).toBe('60/1m');
    expect(describeRate({ requests: 3, perMs: 2000 })).toBe('3/2s');
  });
});

describe('token buckets', () => {
  it('lets a burst of the full rate through, then one request per share of the period', () => {
    let now = 0;
    const buckets = new TokenBuckets({ requests: 3, perMs: 3000 }, { now: () => now });
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(1000);
    // Another key has its own bucket.
    expect(buckets.take('b')).toBe(0);
    now = 500;
    expect(buckets.take('a')).toBe(500);
    now = 1000;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1000);
  });

  it('charges a batch one token per request, and never refuses forever one larger than the bucket', () => {
    let now = 0;
    const buckets = new TokenBuckets({ requests: 2, perMs: 2000 }, { now: () => now });
    expect(buckets.take('a', 5)).toBe(0);
    expect(buckets.take('a', 1)).toBe(1000);
    now = 4000;
    buckets.take('a', 2);
    buckets.refund('a', 1);
    expect(buckets.take('a')).toBe(0);
  });

  it('remembers a bounded number of keys, forgetting full buckets first', () => {
    let now = 0;
    const buckets = new TokenBuckets({ requests: 1, perMs: 1000 }, { maxKeys: 3, now: () => now });
    for (const key of ['a', 'b', 'c', 'd', 'e']) buckets.take(key);
    expect(buckets.size).toBe(3);
    now = 2000;
    buckets.take('f');
    expect(buckets.size).toBe(1);
  });

  it('says Retry-After in whole seconds, at least one', () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
  });
});
