import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/options.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (options: { dbKeyFile?: string }, env: NodeJS.ProcessEnv = {}) =>
  resolveConfig({ storageDir: dir, ...options }, env);

describe('the store key from --db-key-file or MCP_GATEWAY_DB_KEY', () => {
  it('reads the passphrase from a mode 600 file (without its trailing newline), ahead of the environment', () => {
    const file = join(dir, 'key');
    writeFileSync(file, 'from the file\n', { mode: 0o600 });
    expect(config({ dbKeyFile: file }, { MCP_GATEWAY_DB_KEY: 'from env' }).storeKey).toEqual({
      passphrase: 'from the file',
      source: `--db-key-file ${file}`,
    });
    expect(config({}, { MCP_GATEWAY_DB_KEY: 'from env' }).storeKey?.source).toBe('MCP_GATEWAY_DB_KEY');
    expect(config({}).storeKey).toBeNull();
  });

  it('refuses a key file others can read, a missing or empty one, and an empty variable, naming the fix but never the key', () => {
    const open = join(dir, 'open-key');
    writeFileSync(open, 'hunter2-passphrase\n');
    chmodSync(open, 0o644);
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    const loose = refusal(() => config({ dbKeyFile: open }));
    expect(loose).toBe(
      `--db-key-file ${open}: others can read it (mode 644); run "chmod 600 ${open}" and start again`,
    );
    expect(loose).not.toContain('hunter2');
    expect(refusal(() => config({ dbKeyFile: join(dir, 'nope') }))).toMatch(
      /cannot read it \(part of the path does not exist/,
    );
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n', { mode: 0o600 });
    expect(refusal(() => config({ dbKeyFile: empty }))).toMatch(
      /the file is empty; put the passphrase in it/,
    );
    expect(refusal(() => config({}, { MCP_GATEWAY_DB_KEY: '' }))).toMatch(
      /MCP_GATEWAY_DB_KEY is set but empty/,
    );
  });
});
