import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/options.js';

describe('resolving options', () => {
  it('fills in defaults: port 3333, 127.0.0.1, ~/.mcp-gateway, a fresh 32-byte token', () => {
    const config = resolveConfig({}, {});
    expect(config.port).toBe(3333);
    expect(config.host).toBe('127.0.0.1');
    expect(config.storageDir).toMatch(/\.mcp-gateway$/);
    expect(Buffer.from(config.token, 'base64url')).toHaveLength(32);
    expect(config.tokenFromEnv).toBe(false);
    expect(config.maxBodyBytes).toBe(16 * 1024 * 1024);
    expect(resolveConfig({}, {}).token).not.toBe(config.token);
  });

  it('reads MCP_GATEWAY_* variables, flags winning over them', () => {
    const env = {
      MCP_GATEWAY_PORT: '4000',
      MCP_GATEWAY_HOST: 'localhost',
      MCP_GATEWAY_STORAGE: '/tmp/x',
      MCP_GATEWAY_TOKEN: 'a-token-of-enough-length',
    };
    const config = resolveConfig({ port: '5000' }, env);
    expect(config.port).toBe(5000);
    expect(config.host).toBe('localhost');
    expect(config.storageDir).toBe('/tmp/x');
    expect(config.token).toBe('a-token-of-enough-length');
    expect(config.tokenFromEnv).toBe(true);
  });

  it.each([
    [{ port: '-1' }, {}, 'invalid port'],
    [{ port: '3.5' }, {}, 'invalid port'],
    [{}, { MCP_GATEWAY_PORT: 'x' }, 'invalid port "x"'],
    [{ host: 'a b' }, {}, 'invalid host'],
    [{ allowedHosts: ['ok.example', 'bad host'] }, {}, 'invalid allowed host "bad host"'],
    [{}, { MCP_GATEWAY_TOKEN: 'short' }, 'MCP_GATEWAY_TOKEN is too short'],
    [{ maxBodyMb: '0' }, {}, 'invalid max body size'],
    [{ captureQueueMb: 'lots' }, {}, 'invalid capture queue size'],
    [{}, { MCP_GATEWAY_RETENTION_DAYS: '-1' }, 'MCP_GATEWAY_RETENTION_DAYS: invalid --retention-days "-1"'],
    [{}, { MCP_GATEWAY_MAX_DB_MB: 'huge' }, 'MCP_GATEWAY_MAX_DB_MB: invalid --max-db-mb "huge"'],
    [
      {},
      { MCP_GATEWAY_HEALTH_INTERVAL: '-5' },
      'MCP_GATEWAY_HEALTH_INTERVAL: invalid --health-interval "-5"',
    ],
    [{}, { MCP_GATEWAY_PORT: 'x' }, 'MCP_GATEWAY_PORT: invalid port "x"'],
  ])('refuses %j %j with a message naming the fix', (options, env, message) => {
    expect(() => resolveConfig(options, env)).toThrow(ConfigError);
    expect(() => resolveConfig(options, env)).toThrow(message);
  });
});
