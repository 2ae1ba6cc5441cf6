import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { ConfigError, resolveConfig } from '../../src/config/options.js';
import { describeStore, maskStoreUrl } from '../../src/store/store-spec.js';

const serveOptions = (argv: string[]) => {
  const command = parseCli(argv);
  if (command.command !== 'serve') throw new Error(`expected serve, got ${command.command}`);
  return command.options;
};

describe('choosing the capture store', () => {
  it('defaults to SQLite, logs.db in the storage dir', () => {
    const config = resolveConfig({ storageDir: '/tmp/mcp-gw-spec' }, {});
    expect(config.store).toEqual({ kind: 'sqlite', path: '/tmp/mcp-gw-spec/logs.db' });
    // An empty variable is no choice.
    expect(resolveConfig({ storageDir: '/tmp/mcp-gw-spec' }, { MCP_GATEWAY_STORE: ' ' }).store.kind).toBe(
      'sqlite',
    );
  });

  it('takes a postgres:// or postgresql:// URL from --store, ahead of MCP_GATEWAY_STORE', () => {
    const fromFlag = resolveConfig(serveOptions(['--store', 'postgres://alice@db.internal:5432/gateway']), {
      MCP_GATEWAY_STORE: 'postgresql://bob@elsewhere/other',
    });
    expect(fromFlag.store).toEqual({ kind: 'postgres', url: 'postgres://alice@db.internal:5432/gateway' });
    const fromEnv = resolveConfig({}, { MCP_GATEWAY_STORE: 'postgresql://bob@elsewhere/other' });
    expect(fromEnv.store).toEqual({ kind: 'postgres', url: 'postgresql://bob@elsewhere/other' });
  });

  it('refuses any other store URL, saying which forms it accepts and never showing the password', () => {
    for (const [options, env, source] of [
      [{ store: 'mysql://root:hunter2@db/gateway' }, {}, '--store'],
      [{}, { MCP_GATEWAY_STORE: 'root:hunter2@db/gateway' }, 'MCP_GATEWAY_STORE'],
      [{ store: 'logs.db' }, {}, '--store'],
    ] as const) {
      let error: unknown;
      try {
        resolveConfig(options, env);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain(source);
      expect(message).toContain('postgres://user@host:5432/db');
      expect(message).toContain('postgresql://');
      expect(message).not.toContain('hunter2');
    }
  });

  it('masks passwords in the user part and in ?password=, and shows the store that way', () => {
    expect(maskStoreUrl('postgres://alice:s3cr%40t@db:5432/gateway')).toBe(
      'postgres://alice:***@db:5432/gateway',
    );
    expect(maskStoreUrl('postgresql://alice@db/gateway?sslmode=require&password=s3cret')).toBe(
      'postgresql://alice@db/gateway?sslmode=require&password=***',
    );
    expect(maskStoreUrl('postgres:///gateway?host=/run/postgresql')).toBe(
      'postgres:///gateway?host=/run/postgresql',
    );
    expect(describeStore({ kind: 'postgres', url: 'postgres://alice:s3cret@db/gateway' })).toEqual({
      kind: 'postgres',
      location: 'postgres://alice:***@db/gateway',
    });
  });
});
