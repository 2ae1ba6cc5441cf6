import { describe, expect, it } from 'vitest';
import { BACKOFF, Backoff } from '../../src/stdio/backoff.js';
import { childEnv, INHERITED_ENV_VARS } from '../../src/stdio/child-env.js';
import { StderrRing } from '../../src/stdio/stderr-ring.js';

describe('the environment a stdio server starts with', () => {
  it('inherits only the documented variables, plus the configured ones, which win', () => {
    const parent = {
      PATH: '/usr/bin',
      HOME: '/home/ada',
      LANG: 'en_GB.UTF-8',
      AWS_SECRET_ACCESS_KEY: 'shh',
      MCP_GATEWAY_TOKEN: 'secret-token',
    };
    expect(childEnv({ API_KEY: 'k', HOME: '/srv' }, parent)).toEqual({
      PATH: '/usr/bin',
      HOME: '/srv',
      LANG: 'en_GB.UTF-8',
      API_KEY: 'k',
    });
    expect(INHERITED_ENV_VARS).toContain('PATH');
  });

  it('does not pass on exported shell functions', () => {
    expect(childEnv({}, { SHELL: '() { :; }; echo pwned', PATH: '/bin' })).toEqual({ PATH: '/bin' });
  });
});

describe('restart backoff', () => {
  it('doubles the delay after each quick crash, up to its ceiling, and forgets it after a healthy run', () => {
    const backoff = new Backoff();
    const delays = Array.from({ length: 9 }, () => backoff.next(100));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(backoff.next(BACKOFF.healthyAfterMs)).toBe(BACKOFF.firstMs);
  });
});

describe('the stderr ring', () => {
  it('keeps the most recent lines, oldest first, and counts all of them', () => {
    const ring = new StderrRing(3);
    for (const n of [1, 2, 3, 4, 5]) ring.push({ time: n, line: `line ${n}`, truncated: false, pid: 1 });
    expect(ring.recent().map((l) => l.line)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(ring.recent(2).map((l) => l.line)).toEqual(['line 4', 'line 5']);
    expect(ring.total).toBe(5);
  });
});
