import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { resolveConfig } from '../../src/config/options.js';
import { parseServerEntry } from '../../src/registry/schema.js';

describe('limit settings', () => {
  it('have defaults a real user never meets, and take flags or environment variables', () => {
    // Bound beyond loopback, clients from other machines are told apart by address: the defaults apply.
    expect(resolveConfig({ host: '0.0.0.0' }, {}).limits).toEqual({
      api: { perToken: { requests: 600, perMs: 60_000 }, perAddress: { requests: 1200, perMs: 60_000 } },
      maxConnectionsPerClient: 256,
      maxSessionsPerClient: 64,
    });
    // Bound to loopback (the default), every client is this machine: no limit unless one is asked for.
    expect(resolveConfig({}, {}).limits).toEqual({
      api: { perToken: null, perAddress: null },
      maxConnectionsPerClient: 0,
      maxSessionsPerClient: 0,
    });
    expect(resolveConfig({ maxSessionsPerClient: '5' }, {}).limits.maxSessionsPerClient).toBe(5);
    const command = parseCli([
      '--api-rate-limit',
      '100/1s',
      '--api-rate-limit-per-address',
      'off',
      '--max-connections-per-client',
      '8',
      '--max-sessions-per-client',
      '0',
    ]);
    if (command.command !== 'serve') throw new Error('expected serve');
    expect(resolveConfig(command.options, {}).limits).toEqual({
      api: { perToken: { requests: 100, perMs: 1000 }, perAddress: null },
      maxConnectionsPerClient: 8,
      maxSessionsPerClient: 0,
    });
    expect(resolveConfig({}, { MCP_GATEWAY_API_RATE_LIMIT: '30/1h' }).limits.api.perToken).toEqual({
      requests: 30,
      perMs: 3_600_000,
    });
  });

  it('refuse a bad value naming the flag and the fix', () => {
    expect(() => resolveConfig({ apiRateLimit: '600' }, {})).toThrow(
      'invalid --api-rate-limit "600": use requests per period, such as 600/1m (periods in s, m or h, at most a day), or off',
    );
    expect(() => resolveConfig({}, { MCP_GATEWAY_API_RATE_LIMIT_PER_ADDRESS: '10/1 week' })).toThrow(
      /^MCP_GATEWAY_API_RATE_LIMIT_PER_ADDRESS: invalid --api-rate-limit-per-address/,
    );
    expect(() => resolveConfig({ maxSessionsPerClient: 'many' }, {})).toThrow(
      'invalid --max-sessions-per-client "many"',
    );
  });

  it('in mcp.json: rateLimit and clientRateLimit on any server type, with a clear error for a bad one', () => {
    const http = parseServerEntry('a', {
      url: 'http://localhost:3001/mcp',
      rateLimit: { requests: 60, per: '1m' },
      clientRateLimit: { requests: 10, per: '2s' },
    });
    expect(http).toMatchObject({ ok: true, config: { rateLimit: { requests: 60, per: '1m' } } });
    expect(parseServerEntry('b', { command: 'x', rateLimit: { requests: 1, per: 'h' } }).ok).toBe(true);
    const problems = (entry: Record<string, unknown>) => {
      const result = parseServerEntry('s', { command: 'x', ...entry });
      return result.ok ? [] : result.problems;
    };
    expect(problems({ rateLimit: '60/1m' })).toEqual([
      'server "s" rateLimit: rateLimit must be an object such as {"requests": 60, "per": "1m"}',
    ]);
    expect(problems({ clientRateLimit: { requests: 2.5, per: '1m' } })).toEqual([
      'server "s" clientRateLimit.requests: clientRateLimit.requests must be a whole number',
    ]);
    expect(problems({ rateLimit: { requests: 5, per: '1 minute' } })[0]).toContain(
      'rateLimit.per must be a period such as "2s", "1m" or "1h"',
    );
    expect(problems({ rateLimit: { requests: 5, per: '1m', burst: 9 } })[0]).toContain(
      'rateLimit takes only "requests" and "per" (not "burst")',
    );
  });
});
