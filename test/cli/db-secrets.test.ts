import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDb } from '../../src/cli/db-command.js';
import { SecretStore } from '../../src/secrets/secret-store.js';
import type { Keychain } from '../../src/storage/keychain.js';
import { openDatabase } from '../../src/store/database.js';

const root = mkdtempSync(join(tmpdir(), 'mcp-gateway-db-secrets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const noKeychain: Keychain = {
  get: () => null,
  set: () => {
    throw new Error('not used');
  },
  remove: () => false,
};

describe('db conversions carry the secret store along', () => {
  it('encrypt, rekey and decrypt each leave secrets.json readable with the key the gateway will use next', async () => {
    const dir = mkdtempSync(join(root, 'store-'));
    openDatabase(join(dir, 'logs.db'), { migrate: true }).close();
    new SecretStore({ storageDir: dir, env: {} }).set('GITHUB_TOKEN', 'ghp_value');
    const sealedWith = () => JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).key;
    const read = (env: NodeJS.ProcessEnv) => new SecretStore({ storageDir: dir, env }).get('GITHUB_TOKEN');
    expect(sealedWith()).toBe('secrets.key');
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };

    const first = { MCP_GATEWAY_DB_KEY: 'first' };
    expect(await runDb({ action: 'encrypt', storageDir: dir }, io, first, noKeychain)).toBe(0);
    expect(lines.at(-1)).toMatch(/^Sealed the 1 secret in .*secrets\.json with the new key\.$/);
    expect(sealedWith()).toBe('MCP_GATEWAY_DB_KEY');
    expect(read(first)).toBe('ghp_value');

    const second = { MCP_GATEWAY_DB_KEY: 'second' };
    const rekeyEnv = { ...first, MCP_GATEWAY_NEW_DB_KEY: 'second' };
    expect(await runDb({ action: 'rekey', storageDir: dir }, io, rekeyEnv, noKeychain)).toBe(0);
    expect(read(second)).toBe('ghp_value');
    expect(() => read(first)).toThrow(/was encrypted with another key/);

    expect(await runDb({ action: 'decrypt', storageDir: dir }, io, second, noKeychain)).toBe(0);
    expect(sealedWith()).toBe('secrets.key');
    expect(read({})).toBe('ghp_value');
  });
});
