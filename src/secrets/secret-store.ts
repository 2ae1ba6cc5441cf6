import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../storage/atomic-write.js';
import { fileStamp, parseJsonObject, readOwnedFile } from '../storage/owned-file.js';
import { SECRET_NAME } from './references.js';
import { deriveKey, isSealed, open, type Sealed, seal } from './secret-cipher.js';
import {
  findSecretKey,
  type SecretKeyMaterial,
  type SecretKeyOptions,
  secretKeyForWriting,
} from './secret-key.js';

export const SECRETS_FILE_NAME = 'secrets.json';

/** secrets.json: names in clear (they are referenced from mcp.json), values sealed. */
interface SecretsFile {
  version: 1;
  note: string;
  /** Which key sealed the values, so that a wrong key is named rather than guessed at. */
  key: string;
  salt: string;
  /** A known text sealed with the key: tells a wrong key from a damaged entry. */
  check: Sealed;
  secrets: Record<string, Sealed & { updatedAt: string }>;
}

const CHECK_TEXT = 'mcp-gateway secret store';
const NOTE = 'Values are encrypted (AES-256-GCM). Manage them with: mcp-gateway secret set|list|rm';

/** Something is wrong with the secret store; the message says what to do. */
export class SecretStoreError extends Error {
  override name = 'SecretStoreError';
}

export function secretNameProblem(name: string): string | null {
  return SECRET_NAME.test(name)
    ? null
    : `"${name}" is not a valid secret name: use letters, digits, "_", "-" and "." (up to 128), such as GITHUB_TOKEN`;
}

/**
 * The gateway's secret store, `<storage>/secrets.json` (mode 600, written atomically). Every read looks at
 * the file again (a stat, and a parse only when it changed), so a running gateway sees `mcp-gateway secret
 * set` at once, without a restart or a signal.
 */
export class SecretStore {
  readonly path: string;
  readonly #keyOptions: SecretKeyOptions;
  #stamp = '';
  #values: Map<string, string> = new Map();

  constructor(keyOptions: SecretKeyOptions) {
    this.#keyOptions = keyOptions;
    this.path = join(keyOptions.storageDir, SECRETS_FILE_NAME);
  }

  names(): string[] {
    const file = this.#readFile();
    return file ? Object.keys(file.secrets).sort() : [];
  }

  get(name: string): string | undefined {
    this.#refresh();
    return this.#values.get(name);
  }

  set(name: string, value: string): void {
    const problem = secretNameProblem(name);
    if (problem) throw new SecretStoreError(problem);
    const current = this.#readFile();
    const material = secretKeyForWriting(this.#keyOptions);
    const file = current ?? newFile(material);
    const key = this.#keyFor(file, material);
    file.secrets[name] = { ...seal(key, value, name), updatedAt: new Date().toISOString() };
    this.#write(file);
  }

  /** False when there was no such secret. */
  remove(name: string): boolean {
    const file = this.#readFile();
    if (!file || !(name in file.secrets)) return false;
    delete file.secrets[name];
    this.#write(file);
    return true;
  }

  /** Every secret's value, decrypted (for resealing under a new key). */
  values(): Map<string, string> {
    this.#refresh();
    return new Map(this.#values);
  }

  /**
   * Replaces the whole store with `values`, sealed with the key found now (a new salt and check): how
   * `mcp-gateway db` moves the secrets along when the store's key changes.
   */
  reseal(values: ReadonlyMap<string, string>): void {
    const material = secretKeyForWriting(this.#keyOptions);
    const file = newFile(material);
    const key = this.#keyFor(file, material);
    const updatedAt = new Date().toISOString();
    for (const [name, value] of values) file.secrets[name] = { ...seal(key, value, name), updatedAt };
    this.#write(file);
  }

  #write(file: SecretsFile): void {
    try {
      writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
    } catch (error) {
      throw new SecretStoreError(
        `could not save ${this.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Nothing was changed; make the storage dir writable and try again.`,
      );
    }
  }

  /** Decrypts the file again when it changed since the last read. */
  #refresh(): void {
    const stamp = fileStamp(this.path);
    if (stamp === this.#stamp) return;
    const file = this.#readFile();
    const values = new Map<string, string>();
    if (file) {
      const material = findSecretKey(this.#keyOptions);
      if (!material) {
        throw new SecretStoreError(
          `${this.path} holds secrets but their key is missing (it was ${file.key}). Give that key (MCP_GATEWAY_DB_KEY or --db-key-file), or set the secrets again after removing ${this.path}.`,
        );
      }
      const key = this.#keyFor(file, material);
      for (const [name, sealed] of Object.entries(file.secrets)) {
        const value = open(key, sealed, name);
        if (value === null) {
          throw new SecretStoreError(
            `secret ${name} in ${this.path} is damaged: set it again with "mcp-gateway secret set ${name}"`,
          );
        }
        values.set(name, value);
      }
    }
    this.#values = values;
    this.#stamp = stamp;
  }

  #keyFor(file: SecretsFile, material: SecretKeyMaterial): Buffer {
    const key = deriveKey(material.material, Buffer.from(file.salt, 'base64'));
    if (open(key, file.check, 'check') !== CHECK_TEXT) {
      throw new SecretStoreError(
        `${this.path} was encrypted with another key (${file.key}) than the one in use now (${material.source}). Use the key it was written with, or remove ${this.path} and set the secrets again.`,
      );
    }
    return key;
  }

  #readFile(): SecretsFile | null {
    const text = readOwnedFile(this.path, (message) => new SecretStoreError(message));
    if (text === null) return null;
    const file = parseSecretsFile(text);
    if (!file) {
      throw new SecretStoreError(
        `${this.path} is not a secret store the gateway can read (edited by hand?). Restore it from a backup, or remove it and set the secrets again.`,
      );
    }
    return file;
  }
}

function newFile(material: SecretKeyMaterial): SecretsFile {
  const salt = randomBytes(16);
  const key = deriveKey(material.material, salt);
  return {
    version: 1,
    note: NOTE,
    key: material.source,
    salt: salt.toString('base64'),
    check: seal(key, CHECK_TEXT, 'check'),
    secrets: {},
  };
}

function parseSecretsFile(text: string): SecretsFile | null {
  const file = parseJsonObject(text);
  if (!file) return null;
  if (file.version !== 1 || typeof file.salt !== 'string' || !isSealed(file.check)) return null;
  const secrets = file.secrets;
  if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets)) return null;
  if (!Object.values(secrets).every(isSealed)) return null;
  return { ...(file as unknown as SecretsFile), key: typeof file.key === 'string' ? file.key : 'unknown' };
}
