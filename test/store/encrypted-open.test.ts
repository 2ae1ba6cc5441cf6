import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileKind, type StoreKey, StoreKeyError } from '../../src/store/cipher.js';
import { openDatabase, openDatabaseOrStartFresh } from '../../src/store/database.js';

const root = mkdtempSync(join(tmpdir(), 'mcp-gateway-open-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const KEY: StoreKey = { passphrase: 'open sesame', source: 'MCP_GATEWAY_DB_KEY' };

function store(name: string, key: StoreKey | null): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'logs.db');
  mkdirSync(dir);
  openDatabase(path, { migrate: true, key }).close();
  return path;
}

const refusal = (run: () => unknown): StoreKeyError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreKeyError);
    return error as StoreKeyError;
  }
  throw new Error('opened');
};

describe('opening a store with or without its key', () => {
  it('tells an encrypted store from a plain one and from a foreign file by its header alone', () => {
    expect(fileKind(store('enc', KEY))).toBe('encrypted');
    expect(fileKind(store('plain', null))).toBe('plain');
    const foreign = join(root, 'foreign.db');
    writeFileSync(foreign, 'this was never a database\n'.repeat(400));
    expect(fileKind(foreign)).toBe('foreign');
    expect(fileKind(join(root, 'absent.db'))).toBe('empty');
  });

  it('never moves an encrypted store aside for want of its key, and refuses a key for a plain store', () => {
    const encrypted = store('enc', KEY);
    const missing = refusal(() => openDatabaseOrStartFresh(encrypted, { migrate: true }, () => {}));
    expect(missing.message).toContain(`${encrypted} is encrypted and no key was given`);
    expect(readdirSync(join(root, 'enc'))).toEqual(['logs.db']);

    const plain = store('plain', null);
    const extra = refusal(() => openDatabaseOrStartFresh(plain, { migrate: true, key: KEY }, () => {}));
    expect(extra.message).toBe(
      `${plain} is not encrypted, but a key was given (MCP_GATEWAY_DB_KEY): encrypt it first with "mcp-gateway db encrypt --storage-dir ${join(root, 'plain')}", or start without the key`,
    );
    expect(extra.message).not.toContain(KEY.passphrase);
  });
});
