import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDb, runDb } from '../../src/cli/db-command.js';
import { type Keychain, KeychainError } from '../../src/storage/keychain.js';
import { KEY_ENV, readStoreKey } from '../../src/storage/store-key.js';
import { fileKind } from '../../src/store/cipher.js';
import { openDatabase } from '../../src/store/database.js';

const root = mkdtempSync(join(tmpdir(), 'mcp-gateway-db-keys-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A keychain in memory; `failSet` makes writes to that account fail as a locked keychain's would. */
function memoryKeychain(failSet?: (account: string) => boolean) {
  const entries = new Map<string, string>();
  const asked: string[] = [];
  const keychain: Keychain = {
    get: (account) => {
      asked.push(account);
      return entries.get(account) ?? null;
    },
    set: (account, secret) => {
      if (failSet?.(account)) throw new KeychainError('cannot write to the OS keychain: it is locked');
      entries.set(account, secret);
    },
    remove: (account) => entries.delete(account),
  };
  return { keychain, entries, asked };
}

function store(name: string, passphrase?: string): string {
  const dir = mkdtempSync(join(root, `${name}-`));
  const key = passphrase ? { passphrase, source: 'test' } : null;
  openDatabase(join(dir, 'logs.db'), { migrate: true, key }).close();
  return dir;
}

const quiet = () => {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
};

describe('the store key from the OS keychain', () => {
  it('is the last source, asked only for an encrypted store', () => {
    const encrypted = store('encrypted', 'kept in the keychain');
    const { keychain, entries, asked } = memoryKeychain();
    entries.set(encrypted, 'kept in the keychain');
    const lookup = { storageDir: encrypted, keychain };
    expect(readStoreKey(undefined, {}, KEY_ENV, lookup)).toEqual({
      passphrase: 'kept in the keychain',
      source: 'the OS keychain',
    });
    expect(readStoreKey(undefined, { [KEY_ENV]: 'from env' }, KEY_ENV, lookup)?.source).toBe(KEY_ENV);
    expect(asked).toEqual([encrypted]);

    const plain = store('plain');
    entries.set(plain, 'stale');
    expect(readStoreKey(undefined, {}, KEY_ENV, { storageDir: plain, keychain })).toBeNull();
    expect(asked).toEqual([encrypted]);
  });
});

describe('db --keychain when the keychain fails', () => {
  it('encrypt: one line naming what to use instead, exit 2, the store left plain and no entry made', async () => {
    const dir = store('locked');
    const { keychain, entries } = memoryKeychain(() => true);
    const { lines, io } = quiet();
    expect(await runDb({ action: 'encrypt', storageDir: dir, keychain: true }, io, {}, keychain)).toBe(2);
    expect(lines).toEqual([
      'mcp-gateway: --keychain: cannot write to the OS keychain: it is locked. Give the key with MCP_GATEWAY_DB_KEY or --db-key-file <file> instead',
    ]);
    expect(fileKind(join(dir, 'logs.db'))).toBe('plain');
    expect(entries.size).toBe(0);
  });

  it('rekey: a keychain that refuses the new key leaves the store and the entry on the old key', async () => {
    const dir = store('rekey', 'old key');
    const { keychain, entries } = memoryKeychain((account) => account === dir);
    entries.set(dir, 'old key');
    const { lines, io } = quiet();
    expect(await runDb({ action: 'rekey', storageDir: dir, keychain: true }, io, {}, keychain)).toBe(1);
    expect(lines.at(-1)).toMatch(
      /^mcp-gateway: could not rekey .*logs\.db: cannot write to the OS keychain: it is locked; the store was left as it was$/,
    );
    expect(Object.fromEntries(entries)).toEqual({ [dir]: 'old key' });
    openDatabase(join(dir, 'logs.db'), {
      readonly: true,
      key: { passphrase: 'old key', source: 'test' },
    }).close();
  });

  it('refuses --keychain beside a key of the user’s own, and on decrypt', async () => {
    const dir = store('both');
    const { keychain } = memoryKeychain();
    const { lines, io } = quiet();
    const env = { [KEY_ENV]: 'mine' };
    expect(await runDb({ action: 'encrypt', storageDir: dir, keychain: true }, io, env, keychain)).toBe(2);
    expect(lines).toEqual(['mcp-gateway: db encrypt --keychain makes its own key: drop MCP_GATEWAY_DB_KEY']);
    expect(() => parseDb(['decrypt', '--keychain'])).toThrow(
      /^--keychain is for db encrypt and db rekey: db decrypt finds the key in the OS keychain by itself/,
    );
  });
});
