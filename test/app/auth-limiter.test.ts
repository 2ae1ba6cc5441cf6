import { describe, expect, it } from 'vitest';
import { AuthLimiter } from '../../src/app/auth-limiter.js';

describe('wrong-token limiter', () => {
  const setup = (options: { maxAddresses?: number } = {}) => {
    let now = 1_000_000;
    const log: string[] = [];
    const limiter = new AuthLimiter({ now: () => now, log: (m) => log.push(m), ...options });
    return { limiter, log, advance: (ms: number) => (now += ms) };
  };

  it('lets a burst of wrong tokens through, then makes the address pause, logging once', () => {
    const { limiter, log, advance } = setup();
    for (let i = 0; i < 9; i++) limiter.failed('127.0.0.1');
    expect(limiter.retryAfter('127.0.0.1')).toBe(0);
    limiter.failed('127.0.0.1');
    expect(limiter.retryAfter('127.0.0.1')).toBe(10);
    expect(limiter.retryAfter('::1')).toBe(0);
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('10 wrong gateway tokens from 127.0.0.1 within 10 s');
    expect(log[0]).toContain('429 for the next 10 s');
    advance(4_500);
    expect(limiter.retryAfter('127.0.0.1')).toBe(6);
    advance(5_500);
    expect(limiter.retryAfter('127.0.0.1')).toBe(0);
  });

  it('forgets failures spread out over time', () => {
    const { limiter, log, advance } = setup();
    for (let i = 0; i < 30; i++) {
      limiter.failed('127.0.0.1');
      advance(2_000);
    }
    expect(limiter.retryAfter('127.0.0.1')).toBe(0);
    expect(log).toEqual([]);
  });

  it('doubles the pause for each burst that follows, up to five minutes, and forgives after a quiet spell', () => {
    const { limiter, log, advance } = setup();
    const pauses: number[] = [];
    for (let burst = 0; burst < 7; burst++) {
      for (let i = 0; i < 10; i++) limiter.failed('10.0.0.7');
      const wait = limiter.retryAfter('10.0.0.7');
      pauses.push(wait);
      advance(wait * 1000);
    }
    expect(pauses).toEqual([10, 20, 40, 80, 160, 300, 300]);
    expect(log).toHaveLength(7);
    advance(6 * 60_000);
    for (let i = 0; i < 10; i++) limiter.failed('10.0.0.7');
    expect(limiter.retryAfter('10.0.0.7')).toBe(10);
  });

  it('remembers a bounded number of addresses', () => {
    const { limiter } = setup({ maxAddresses: 3 });
    for (let i = 0; i < 10; i++) limiter.failed('a');
    for (const address of ['b', 'c', 'd']) limiter.failed(address);
    // The oldest entry made room; the others are still counted.
    expect(limiter.retryAfter('a')).toBe(0);
    for (let i = 0; i < 9; i++) limiter.failed('d');
    expect(limiter.retryAfter('d')).toBe(10);
  });
});
