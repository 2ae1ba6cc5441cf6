import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Keychain } from '../storage/keychain.js';
import { FILE_MODE } from '../storage/storage-dir.js';
import { keychainStoreKey } from '../storage/store-key.js';

/**
 * The key that encrypts the secret store. The same key as the encrypted log store when one is given
 * (`MCP_GATEWAY_DB_KEY`, a passphrase, or `--db-key-file`, a file only its owner can read, or the OS
 * keychain's entry for an encrypted logs.db, found as the log store finds it); otherwise a random key the gateway keeps in `<storage>/secrets.key` (32 bytes, mode 600). That last one sits on
 * the same disk as secrets.json: it protects against a copy of secrets.json on its own (a backup, a
 * paste), not against someone who can read the whole storage dir. The stronger setup is a key kept
 * elsewhere (MCP_GATEWAY_DB_KEY from a password manager, or a key file on another volume).
 */
export interface SecretKeyOptions {
  storageDir: string;
  /** `--db-key-file`: a file whose content is the key. */
  keyFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** The OS keychain (tests give their own). */
  keychain?: Keychain;
}

export interface SecretKeyMaterial {
  /** Where the key came from, as the user would name it: "MCP_GATEWAY_DB_KEY", "--db-key-file", "the OS keychain", "secrets.key". */
  source: string;
  /** Secret bytes to derive the AES key from (with the store's salt). */
  material: Buffer;
}

export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

export const KEY_FILE_NAME = 'secrets.key';

function readKeyFile(path: string): Buffer {
  let mode: number;
  let content: Buffer;
  try {
    mode = statSync(path).mode & 0o777;
    content = readFileSync(path);
  } catch (error) {
    throw new SecretKeyError(
      `cannot read the key file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the path given with --db-key-file.`,
    );
  }
  if ((mode & 0o077) !== 0) {
    throw new SecretKeyError(
      `the key file ${path} is readable by others (mode ${mode.toString(8)}): run "chmod 600 ${path}" and try again`,
    );
  }
  if (content.length === 0) throw new SecretKeyError(`the key file ${path} is empty: put the key in it`);
  return content;
}

/** The key to use, or null when the gateway would make its own and none exists yet (nothing to decrypt). */
export function findSecretKey(options: SecretKeyOptions): SecretKeyMaterial | null {
  const env = options.env ?? process.env;
  const passphrase = env.MCP_GATEWAY_DB_KEY;
  if (passphrase) return { source: 'MCP_GATEWAY_DB_KEY', material: Buffer.from(passphrase, 'utf8') };
  if (options.keyFile) return { source: '--db-key-file', material: readKeyFile(options.keyFile) };
  const fromKeychain = keychainStoreKey({
    storageDir: options.storageDir,
    ...(options.keychain ? { keychain: options.keychain } : {}),
  });
  if (fromKeychain) {
    return { source: fromKeychain.source, material: Buffer.from(fromKeychain.passphrase, 'utf8') };
  }
  const own = join(options.storageDir, KEY_FILE_NAME);
  try {
    statSync(own);
  } catch {
    return null;
  }
  return { source: KEY_FILE_NAME, material: readKeyFile(own) };
}

/** The key to use, creating `<storage>/secrets.key` when no other key is given and none exists. */
export function secretKeyForWriting(options: SecretKeyOptions): SecretKeyMaterial {
  const found = findSecretKey(options);
  if (found) return found;
  const own = join(options.storageDir, KEY_FILE_NAME);
  const key = randomBytes(32);
  try {
    // "wx": two writers at once never overwrite each other's key; the loser reads the winner's.
    const fd = openSync(own, 'wx', FILE_MODE);
    try {
      writeSync(fd, key);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return { source: KEY_FILE_NAME, material: readKeyFile(own) };
    }
    throw new SecretKeyError(
      `cannot create ${own}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Make the storage dir writable, or give a key with MCP_GATEWAY_DB_KEY.`,
    );
  }
  return { source: KEY_FILE_NAME, material: key };
}
