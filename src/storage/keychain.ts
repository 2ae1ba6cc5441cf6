import { createRequire } from 'node:module';

/**
 * The operating system's keychain (macOS Keychain, Windows Credential Manager, the Secret Service on
 * Linux: GNOME Keyring, KWallet, KeePassXC) as a place for the store's key, through the optional
 * `@napi-rs/keyring` package. One entry per storage dir: service "mcp-gateway", account the storage dir's
 * absolute path, so two storage dirs never share a key.
 */
export const KEYCHAIN_SERVICE = 'mcp-gateway';

/** How messages and the startup banner name this key source. */
export const KEYCHAIN_SOURCE = 'the OS keychain';

/** The keychain cannot be used here; the message says why, and callers say what to use instead. */
export class KeychainError extends Error {
  override name = 'KeychainError';
}

export interface Keychain {
  /** The key stored for `account`; null when there is none. Throws KeychainError when it cannot be read. */
  get(account: string): string | null;
  set(account: string, secret: string): void;
  /** False when there was nothing to remove. */
  remove(account: string): boolean;
}

interface KeyringEntry {
  getPassword(): string | null;
  setPassword(password: string): void;
  deletePassword(): boolean;
}

interface KeyringModule {
  Entry: new (service: string, account: string, options?: { linux?: { store?: string } }) => KeyringEntry;
}

let loaded: KeyringModule | Error | undefined;

/** An optional dependency: a platform without a prebuilt binary simply has no keychain. */
function keyring(): KeyringModule {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('@napi-rs/keyring') as KeyringModule;
    } catch (error) {
      // Node's message goes on with the require stack: its first line names the module.
      const cause = ((error as Error).message ?? '').split('\n')[0];
      loaded = new Error(`the optional @napi-rs/keyring package cannot be loaded here (${cause})`);
    }
  }
  if (loaded instanceof Error) throw new KeychainError(loaded.message);
  return loaded;
}

/** Why the keychain failed, in one line (the library's messages carry the D-Bus or OS reason). */
function reason(error: unknown): string {
  if (error instanceof KeychainError) return error.message;
  return ((error as Error).message ?? String(error)).split('\n')[0] as string;
}

function entry(account: string): KeyringEntry {
  const { Entry } = keyring();
  // Linux: the Secret Service only. The library would otherwise fall back to the kernel keyring, which
  // forgets everything at logout or reboot: an encrypted store whose key vanished is lost.
  return new Entry(KEYCHAIN_SERVICE, account, { linux: { store: 'secret-service' } });
}

function attempt<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new KeychainError(`cannot ${what} the OS keychain: ${reason(error)}`);
  }
}

/** The keychain of the logged-in user, as the platform offers it. */
export const osKeychain: Keychain = {
  get: (account) => attempt('read', () => entry(account).getPassword()),
  set: (account, secret) => attempt('write to', () => entry(account).setPassword(secret)),
  remove: (account) => attempt('remove an entry from', () => entry(account).deletePassword()),
};
