import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { ConfigError, resolveConfig } from '../../src/config/options.js';

const MiB = 1024 * 1024;

describe('retention and health options', () => {
  it('default to 30 days, 2048 MiB and checks every 30 seconds', () => {
    const config = resolveConfig({}, {});
    expect(config.retention).toEqual({ days: 30, maxBytes: 2048 * MiB });
    expect(config.healthIntervalMs).toBe(30_000);
  });

  it('come from flags, which win over MCP_GATEWAY_* variables', () => {
    const command = parseCli(['--retention-days', '7', '--max-db-mb', '512', '--health-interval', '5']);
    if (command.command !== 'serve') throw new Error('expected serve');
    const env = {
      MCP_GATEWAY_RETENTION_DAYS: '90',
      MCP_GATEWAY_MAX_DB_MB: '0',
      MCP_GATEWAY_HEALTH_INTERVAL: '0',
    };
    expect(resolveConfig(command.options, env)).toMatchObject({
      retention: { days: 7, maxBytes: 512 * MiB },
      healthIntervalMs: 5000,
    });
    expect(resolveConfig({}, env)).toMatchObject({
      retention: { days: 90, maxBytes: 0 },
      healthIntervalMs: 0,
    });
  });

  it.each([
    [{ retentionDays: '-1' }, '--retention-days'],
    [{ retentionDays: 'forever' }, '--retention-days'],
    [{ maxDbMb: '1.5' }, '--max-db-mb'],
    [{ healthInterval: '30s' }, '--health-interval'],
  ])('refuse %j with one line naming the flag', (options, flag) => {
    expect(() => resolveConfig(options, {})).toThrow(ConfigError);
    expect(() => resolveConfig(options, {})).toThrow(new RegExp(`^invalid ${flag} .*such as`));
  });
});
