import { existsSync } from 'node:fs';
import { SecretKeyError, type SecretKeyOptions } from '../secrets/secret-key.js';
import { SecretStore, SecretStoreError } from '../secrets/secret-store.js';
import type { Keychain } from '../storage/keychain.js';
import { KEY_ENV } from '../storage/store-key.js';
import type { DbOptions } from './db-command.js';
import { NEW_KEY_ENV } from './db-keys.js';

/**
 * secrets.json is sealed with the store's key (src/secrets/secret-key.ts): when `db` changes that key, the
 * secrets move along, or the gateway could no longer read them (after `db decrypt` the keychain's entry is
 * even gone). Read with the key in use before the conversion, written with the key found after it.
 */
export interface SecretsCarry {
  /** After a successful conversion: reseals the secrets; a line to print, or null when there were none. */
  carry(): string | null;
}

const NOTHING: SecretsCarry = { carry: () => null };

/** The secret store's key options before and after the conversion, as the gateway will find them. */
function keyOptions(options: DbOptions, dir: string, env: NodeJS.ProcessEnv, keychain: Keychain) {
  const keyless = { ...env, [KEY_ENV]: undefined };
  const base = { storageDir: dir, keychain };
  const withKey: SecretKeyOptions = { ...base, keyFile: options.dbKeyFile, env };
  if (options.action === 'encrypt') {
    return {
      before: { ...base, env: keyless },
      after: options.keychain ? { ...base, env: keyless } : withKey,
    };
  }
  if (options.action === 'decrypt') return { before: withKey, after: { ...base, env: keyless } };
  if (options.keychain) return { before: withKey, after: { ...base, env: keyless } };
  if (options.newKeyFile !== undefined) {
    return { before: withKey, after: { ...base, keyFile: options.newKeyFile, env: keyless } };
  }
  return { before: withKey, after: { ...base, env: { ...env, [KEY_ENV]: env[NEW_KEY_ENV] } } };
}

export function readSecretsForCarry(
  options: DbOptions,
  dir: string,
  env: NodeJS.ProcessEnv,
  keychain: Keychain,
  warn: (line: string) => void,
): SecretsCarry {
  const { before, after } = keyOptions(options, dir, env, keychain);
  const store = new SecretStore(before);
  if (!existsSync(store.path)) return NOTHING;
  let values: Map<string, string>;
  try {
    values = store.values();
  } catch (error) {
    if (!(error instanceof SecretStoreError || error instanceof SecretKeyError)) throw error;
    warn(`${store.path} was left as it was: ${error.message}`);
    return NOTHING;
  }
  return {
    carry() {
      try {
        new SecretStore(after).reseal(values);
      } catch (error) {
        if (!(error instanceof SecretStoreError || error instanceof SecretKeyError)) throw error;
        warn(`${store.path} still has the old key: ${error.message}`);
        return null;
      }
      return `Sealed the ${values.size} secret${values.size === 1 ? '' : 's'} in ${store.path} with the new key.`;
    },
  };
}
