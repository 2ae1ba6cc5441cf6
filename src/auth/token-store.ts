import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../storage/atomic-write.js';
import type { Identity } from './identity.js';
import { isRole, type Role } from './roles.js';

export const TOKENS_FILE_NAME = 'tokens.json';

/** Named tokens start with this, so secret scanners and people can tell one from other credentials. */
export const TOKEN_PREFIX = 'mgw_';

/** One named token as stored: its value only as a SHA-256 digest (the value is 256 random bits). */
export interface StoredToken {
  name: string;
  role: Role;
  /** Servers the token is limited to; null means all. */
  servers: string[] | null;
  /** base64url SHA-256 of the token's value. */
  hash: string;
  created: string;
  /** ISO time the token stops working, or null. */
  expires: string | null;
  /** ISO time of its last accepted use (updated at most once a minute), or null. */
  lastUsed: string | null;
}

interface TokensFile {
  version: 1;
  note: string;
  tokens: StoredToken[];
}

const NOTE =
  'Token values are stored as SHA-256 digests only. Manage them with: mcp-gateway token create|list|revoke|rotate';
export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** lastUsed is a hint for `token list`, not an audit line: writing the file on every request would cost. */
const LAST_USED_EVERY_MS = 60_000;

/** Something is wrong with the token store or a change to it; the message says what to do. */
export class TokenStoreError extends Error {
  override name = 'TokenStoreError';
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function identityOf(token: StoredToken): Identity {
  return {
    actor: token.name,
    kind: 'token',
    role: token.role,
    servers: token.servers,
    expiresAt: token.expires === null ? null : Date.parse(token.expires),
  };
}

/**
 * `<storage>/tokens.json` (mode 600, written atomically). Every lookup looks at the file's stamp again, so
 * a running gateway sees `mcp-gateway token revoke` at the next request, without a restart.
 */
export class TokenStore {
  readonly path: string;
  readonly #now: () => number;
  #stamp = '';
  #tokens: StoredToken[] = [];

  constructor(storageDir: string, now: () => number = Date.now) {
    this.path = join(storageDir, TOKENS_FILE_NAME);
    this.#now = now;
  }

  list(): StoredToken[] {
    this.#refresh();
    return this.#tokens.map((token) => ({ ...token }));
  }

  /** The identity a token value stands for, or undefined when it is unknown, revoked or expired. */
  lookup(value: string): Identity | undefined {
    if (!value.startsWith(TOKEN_PREFIX)) return undefined;
    this.#refresh();
    const wanted = Buffer.from(digest(value));
    const token = this.#tokens.find((candidate) => {
      const stored = Buffer.from(candidate.hash);
      return stored.length === wanted.length && timingSafeEqual(stored, wanted);
    });
    if (!token) return undefined;
    const identity = identityOf(token);
    if (identity.expiresAt !== null && identity.expiresAt <= this.#now()) return undefined;
    this.#touch(token);
    return identity;
  }

  /** True while the named token exists and has not expired: live feeds ask this to end revoked streams. */
  stillValid(name: string): boolean {
    this.#refresh();
    const token = this.#tokens.find((candidate) => candidate.name === name);
    if (!token) return false;
    return token.expires === null || Date.parse(token.expires) > this.#now();
  }

  /** Creates a token; its value is returned once and never stored. */
  create(options: { name: string; role: Role; servers?: string[] | null; expiresInMs?: number | null }): {
    value: string;
    token: StoredToken;
  } {
    if (!TOKEN_NAME.test(options.name)) {
      throw new TokenStoreError(
        `"${options.name}" is not a valid token name: use letters, digits, "_", "-" and "." (up to 64), such as ci-bot`,
      );
    }
    if (!isRole(options.role)) {
      throw new TokenStoreError(`"${String(options.role)}" is not a role: use viewer, operator or admin`);
    }
    const file = this.#read();
    if (file.tokens.some((token) => token.name === options.name)) {
      throw new TokenStoreError(
        `a token named ${options.name} already exists: pick another name, or "mcp-gateway token rotate ${options.name}" for a new value`,
      );
    }
    const value = newTokenValue();
    const now = this.#now();
    const token: StoredToken = {
      name: options.name,
      role: options.role,
      servers: options.servers && options.servers.length > 0 ? [...options.servers] : null,
      hash: digest(value),
      created: new Date(now).toISOString(),
      expires: options.expiresInMs ? new Date(now + options.expiresInMs).toISOString() : null,
      lastUsed: null,
    };
    file.tokens.push(token);
    this.#write(file);
    return { value, token: { ...token } };
  }

  /** False when there was no such token. */
  revoke(name: string): boolean {
    const file = this.#read();
    const kept = file.tokens.filter((token) => token.name !== name);
    if (kept.length === file.tokens.length) return false;
    this.#write({ ...file, tokens: kept });
    return true;
  }

  /** A new value for the named token; the old value stops working at once. Undefined when there is none. */
  rotate(name: string): { value: string; token: StoredToken } | undefined {
    const file = this.#read();
    const token = file.tokens.find((candidate) => candidate.name === name);
    if (!token) return undefined;
    const value = newTokenValue();
    token.hash = digest(value);
    token.lastUsed = null;
    this.#write(file);
    return { value, token: { ...token } };
  }

  #touch(token: StoredToken): void {
    const now = this.#now();
    if (token.lastUsed !== null && now - Date.parse(token.lastUsed) < LAST_USED_EVERY_MS) return;
    token.lastUsed = new Date(now).toISOString();
    try {
      const file = this.#read();
      const stored = file.tokens.find((candidate) => candidate.hash === token.hash);
      if (!stored) return;
      stored.lastUsed = token.lastUsed;
      this.#write(file);
    } catch {
      // A hint that could not be saved (read-only dir, a damaged file) must not refuse a right token.
    }
  }

  #refresh(): void {
    let stamp: string;
    try {
      const stat = statSync(this.path);
      stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      stamp = 'missing';
    }
    if (stamp === this.#stamp) return;
    this.#tokens = this.#read().tokens;
    this.#stamp = stamp;
  }

  #read(): TokensFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, note: NOTE, tokens: [] };
      throw new TokenStoreError(
        `cannot read ${this.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Make it readable by the gateway's user.`,
      );
    }
    const file = parseTokensFile(text);
    if (!file) {
      throw new TokenStoreError(
        `${this.path} is not a token file the gateway can read (edited by hand?). Restore it from a backup, or remove it and create the tokens again.`,
      );
    }
    return file;
  }

  #write(file: TokensFile): void {
    try {
      writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
    } catch (error) {
      throw new TokenStoreError(
        `could not save ${this.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Nothing was changed; make the storage dir writable and try again.`,
      );
    }
    this.#stamp = '';
  }
}

function newTokenValue(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

function isStoredToken(value: unknown): value is StoredToken {
  if (typeof value !== 'object' || value === null) return false;
  const token = value as Record<string, unknown>;
  const optionalTime = (time: unknown) =>
    time === null || (typeof time === 'string' && !Number.isNaN(Date.parse(time)));
  return (
    typeof token.name === 'string' &&
    isRole(token.role) &&
    (token.servers === null ||
      (Array.isArray(token.servers) && token.servers.every((s) => typeof s === 'string'))) &&
    typeof token.hash === 'string' &&
    typeof token.created === 'string' &&
    optionalTime(token.expires) &&
    optionalTime(token.lastUsed)
  );
}

function parseTokensFile(text: string): TokensFile | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const file = raw as Record<string, unknown>;
  if (file.version !== 1 || !Array.isArray(file.tokens) || !file.tokens.every(isStoredToken)) return null;
  return { version: 1, note: NOTE, tokens: file.tokens };
}
