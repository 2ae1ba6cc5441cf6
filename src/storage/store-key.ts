import { readFileSync, statSync } from 'node:fs';
import { fileKind, type StoreKey, StoreKeyError } from '../store/cipher.js';
import { KEYCHAIN_SOURCE, type Keychain, KeychainError, osKeychain } from './keychain.js';
import { storagePaths } from './storage-dir.js';
import { fsCause } from './storage-errors.js';

/** The environment variable that holds the store's passphrase. */
export const KEY_ENV = 'MCP_GATEWAY_DB_KEY';

/** Where to look in the OS keychain when neither a key file nor the variable is given. */
export interface KeychainLookup {
  storageDir: string;
  keychain?: Keychain;
}

/**
 * The key logs.db is encrypted with: `--db-key-file` (a file only its owner may read), else
 * MCP_GATEWAY_DB_KEY, else the OS keychain's entry for the storage dir (`mcp-gateway db encrypt
 * --keychain` puts it there); null when none is given (a plain store). A flag wins over the environment,
 * as every other setting does. Throws StoreKeyError, whose message names the fix and never the key.
 */
export function readStoreKey(
  keyFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  envName = KEY_ENV,
  lookup?: KeychainLookup,
): StoreKey | null {
  if (keyFile !== undefined) return readKeyFile(keyFile);
  const passphrase = env[envName];
  if (passphrase === undefined) return lookup ? keychainStoreKey(lookup) : null;
  if (passphrase === '') {
    // An empty passphrase means "no encryption" to SQLite3 Multiple Ciphers: refuse it rather than quietly
    // write a plain store for someone who believes theirs is encrypted.
    throw new StoreKeyError(`${envName} is set but empty: set it to the store's passphrase, or unset it`);
  }
  return { passphrase, source: envName };
}

/**
 * A key file holds the passphrase (one trailing newline, as `echo` writes, is not part of it). Like an
 * ssh private key, it must be the owner's alone: a key others can read protects nothing.
 */
function readKeyFile(path: string): StoreKey {
  const source = `--db-key-file ${path}`;
  let mode: number;
  let text: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile())
      throw new StoreKeyError(`${source}: not a file; give the file that holds the passphrase`);
    mode = stat.mode & 0o777;
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof StoreKeyError) throw error;
    throw new StoreKeyError(`${source}: cannot read it (${fsCause(error)}); give a file you can read`);
  }
  if ((mode & 0o077) !== 0) {
    throw new StoreKeyError(
      `${source}: others can read it (mode ${mode.toString(8)}); run "chmod 600 ${path}" and start again`,
    );
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase === '') throw new StoreKeyError(`${source}: the file is empty; put the passphrase in it`);
  return { passphrase, source };
}

/**
 * The keychain is asked only for a logs.db that is encrypted: a plain or new store never touches it (no
 * unlock prompt, no D-Bus round trip for people who did not choose it). No keychain here, or no entry
 * for this storage dir, is the same as no key: the store's own "encrypted and no key was given" follows.
 */
export function keychainStoreKey({ storageDir, keychain = osKeychain }: KeychainLookup): StoreKey | null {
  const path = storagePaths(storageDir).database;
  if (fileKind(path) !== 'encrypted') return null;
  let passphrase: string | null;
  try {
    passphrase = keychain.get(storageDir);
  } catch (error) {
    if (!(error instanceof KeychainError)) throw error;
    return null;
  }
  return passphrase ? { passphrase, source: KEYCHAIN_SOURCE } : null;
}
