import { randomBytes } from 'node:crypto';
import { ConfigError, resolveStoreKey } from '../config/options.js';
import { KEYCHAIN_SOURCE, type Keychain, KeychainError } from '../storage/keychain.js';
import { storagePaths } from '../storage/storage-dir.js';
import { KEY_ENV } from '../storage/store-key.js';
import { fileKind, type StoreKey } from '../store/cipher.js';
import { openDatabase } from '../store/database.js';
import type { DbOptions } from './db-command.js';

export const NEW_KEY_ENV = 'MCP_GATEWAY_NEW_DB_KEY';

/** The keys before and after a conversion, and what happens to the OS keychain's entry around it. */
export interface KeyPlan {
  from: StoreKey | null;
  to: StoreKey | null;
  /** Before the conversion: claims the keychain (fails early, with nothing converted, if there is none). */
  prepare(): void;
  /** With the new file complete, just before it replaces logs.db. */
  beforeRename(): void;
  /** After the conversion, whether it succeeded or not. */
  finish(succeeded: boolean): void;
}

/**
 * Where the previous key waits while `db rekey --keychain` switches the entry: a crash between the
 * keychain write and the rename leaves the store under its old key, which stays findable here.
 */
export const previousAccount = (dir: string) => `${dir} (previous key)`;

const noKeychain = (error: KeychainError, instead: string) =>
  new ConfigError(`--keychain: ${error.message}. ${instead}`);

/**
 * Whether logs.db opens with `key`. A conversion that failed may still have renamed its new file into
 * place (only the directory's fsync came after), so a failure is judged by the file, not by the error.
 */
function opensWith(dir: string, key: StoreKey): boolean {
  try {
    openDatabase(storagePaths(dir).database, { readonly: true, key }).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * The keys from the options and the environment, the OS keychain last (only for an encrypted store);
 * refuses what cannot be meant. `--keychain` makes a random 256-bit key that lives only in the keychain.
 */
export function planKeys(
  options: DbOptions,
  dir: string,
  env: NodeJS.ProcessEnv,
  keychain: Keychain,
): KeyPlan {
  const action = options.action;
  const needKey = `give the key with ${KEY_ENV} or --db-key-file <file>`;
  const given = resolveStoreKey(options.dbKeyFile, env);
  const from =
    action === 'encrypt'
      ? null
      : (given ?? resolveStoreKey(undefined, env, undefined, { storageDir: dir, keychain }));
  if (action !== 'encrypt' && !from) {
    throw new ConfigError(
      `db ${action} needs the store's key: ${needKey} (none for it is in the OS keychain)`,
    );
  }
  const fromKeychain = from?.source === KEYCHAIN_SOURCE;
  const removeEntry = (account: string) => {
    try {
      keychain.remove(account);
    } catch (error) {
      if (!(error instanceof KeychainError)) throw error;
    }
  };
  const plan = (
    to: StoreKey | null,
    steps: Partial<Pick<KeyPlan, 'prepare' | 'beforeRename' | 'finish'>>,
  ) => ({
    from,
    to,
    prepare: () => {},
    beforeRename: () => {},
    finish: () => {},
    ...steps,
  });

  if (options.keychain) {
    const fresh: StoreKey = { passphrase: randomBytes(32).toString('base64url'), source: KEYCHAIN_SOURCE };
    if (action === 'encrypt') {
      if (given) throw new ConfigError(`db encrypt --keychain makes its own key: drop ${given.source}`);
      return plan(fresh, {
        // The key is in the keychain before the store needs it: a crash at any point loses nothing.
        prepare: () => {
          try {
            keychain.set(dir, fresh.passphrase);
          } catch (error) {
            if (!(error instanceof KeychainError)) throw error;
            throw noKeychain(error, `Give the key with ${KEY_ENV} or --db-key-file <file> instead`);
          }
        },
        finish: (ok) => {
          if (!ok && fileKind(storagePaths(dir).database) !== 'encrypted') removeEntry(dir);
        },
      });
    }
    if (options.newKeyFile !== undefined || env[NEW_KEY_ENV] !== undefined) {
      throw new ConfigError(
        `db rekey --keychain makes the new key itself: drop ${options.newKeyFile !== undefined ? '--new-key-file' : NEW_KEY_ENV}`,
      );
    }
    const old = from as StoreKey;
    let switched = false;
    return plan(fresh, {
      prepare: () => {
        try {
          keychain.set(previousAccount(dir), old.passphrase);
        } catch (error) {
          if (!(error instanceof KeychainError)) throw error;
          throw noKeychain(error, `Give the new key with ${NEW_KEY_ENV} or --new-key-file <file> instead`);
        }
      },
      beforeRename: () => {
        keychain.set(dir, fresh.passphrase);
        switched = true;
      },
      finish: (ok) => {
        if (!ok && switched && !opensWith(dir, fresh)) {
          try {
            if (fromKeychain) keychain.set(dir, old.passphrase);
            else keychain.remove(dir);
          } catch (error) {
            if (!(error instanceof KeychainError)) throw error;
            // The old key stays under the previous-key account for the user to restore by hand.
            return;
          }
        }
        removeEntry(previousAccount(dir));
      },
    });
  }

  if (action === 'encrypt') {
    if (!given) throw new ConfigError(`db encrypt needs the store's key: ${needKey}, or use --keychain`);
    return plan(given, {});
  }
  // A decrypted store needs no key, and one given a key of the user's own no longer uses the keychain's.
  if (action === 'decrypt') {
    return plan(null, {
      finish: (ok) => {
        if (ok) removeEntry(dir);
      },
    });
  }
  const fresh = resolveStoreKey(options.newKeyFile, env, NEW_KEY_ENV);
  if (!fresh) {
    throw new ConfigError(
      `db rekey needs the new key too: give it with ${NEW_KEY_ENV} or --new-key-file <file>, or use --keychain`,
    );
  }
  return plan(fresh, {
    finish: (ok) => {
      if (ok && fromKeychain) removeEntry(dir);
    },
  });
}
