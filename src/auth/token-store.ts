import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { GatewayError } from '../core/errors.js';
import { serverNameProblem } from '../core/server-name.js';
import { writeFileAtomic } from '../storage/atomic-write.js';
import { withFileLock } from '../storage/file-lock.js';
import { fileStamp, readOwnedFile } from '../storage/owned-file.js';
import type { Identity } from './identity.js';
import { isRole, type Role } from './roles.js';
import { parseTokensFile, type StoredToken, TOKENS_FILE_NOTE, type TokensFile } from './token-file.js';

export const TOKENS_FILE_NAME = 'tokens.json';
export type { StoredToken } from './token-file.js';

/** Named tokens start with this, so secret scanners and people can tell one from other credentials. */
export const TOKEN_PREFIX = 'mgw_';

/** What may be shown of a token anywhere (API, CLI, UI): everything but its digest. */
export type TokenInfo = Omit<StoredToken, 'hash'> & { expired: boolean };

export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** The audit log and `/api/session` call the startup token's holder this; no named token may. */
const RESERVED_NAMES = new Set(['owner']);
/** lastUsed is a hint for `token list`, not an audit line: writing the file on every request would cost. */
const LAST_USED_EVERY_MS = 60_000;

/** Something is wrong with the token store or a change to it; the message says what to do. */
export class TokenStoreError extends Error {
  override name = 'TokenStoreError';
  /** `invalid`: bad input; `conflict`: the name is taken or the token expired; `storage`: the file. */
  readonly kind: 'invalid' | 'conflict' | 'storage';
  constructor(message: string, kind: 'invalid' | 'conflict' | 'storage' = 'storage') {
    super(message);
    this.kind = kind;
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

function issuedAt(token: StoredToken): number {
  return Date.parse(token.rotated ?? token.created);
}

export function identityOf(token: StoredToken): Identity {
  return {
    actor: token.name,
    kind: 'token',
    role: token.role,
    servers: token.servers,
    expiresAt: token.expires === null ? null : Date.parse(token.expires),
    issuedAt: issuedAt(token),
  };
}

/** Why a token name is refused, or null when it is fine. */
export function tokenNameProblem(name: string): string | null {
  if (RESERVED_NAMES.has(name)) {
    return `"${name}" is the startup token's name and cannot be given to a named token: pick another, such as ${name}-laptop`;
  }
  if (!TOKEN_NAME.test(name)) {
    return `"${name}" is not a valid token name: use letters, digits, "_", "-" and "." (up to 64), such as ci-bot`;
  }
  return null;
}

/** Why a server list for a token is refused, or null. */
export function tokenServersProblem(servers: readonly string[]): string | null {
  for (const server of servers) {
    const problem = serverNameProblem(server);
    if (problem) return problem;
  }
  return null;
}

export interface CreateTokenOptions {
  name: string;
  role: Role;
  servers?: readonly string[] | null;
  expiresInMs?: number | null;
}

/**
 * `<storage>/tokens.json` (mode 600, written atomically). Every lookup looks at the file's stamp again, so
 * a running gateway sees `mcp-gateway token revoke` at the next request, without a restart. Changes hold
 * `tokens.json.lock`, as the gateway (last used) and the CLI may write at once.
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

  list(): TokenInfo[] {
    this.#refresh();
    return this.#tokens.map((token) => this.#info(token));
  }

  /** One token's description, or undefined. */
  get(name: string): TokenInfo | undefined {
    this.#refresh();
    const token = this.#tokens.find((candidate) => candidate.name === name);
    return token ? this.#info(token) : undefined;
  }

  /**
   * The identity a token value stands for, or undefined when it is unknown, revoked or expired. A damaged
   * file refuses every named token (503, saying what to fix) rather than trusting a stale copy.
   */
  lookup(value: string): Identity | undefined {
    if (!value.startsWith(TOKEN_PREFIX)) return undefined;
    try {
      this.#refresh();
    } catch (error) {
      if (!(error instanceof TokenStoreError)) throw error;
      throw new GatewayError(503, `Named tokens cannot be checked now: ${error.message}`);
    }
    const wanted = Buffer.from(digest(value));
    const token = this.#tokens.find((candidate) => {
      const stored = Buffer.from(candidate.hash);
      return stored.length === wanted.length && timingSafeEqual(stored, wanted);
    });
    if (!token || this.#expired(token)) return undefined;
    this.#touch(token);
    return identityOf(token);
  }

  /** True while the named token exists and has not expired: live feeds ask this to end revoked streams. */
  stillValid(name: string): boolean {
    this.#refresh();
    const token = this.#tokens.find((candidate) => candidate.name === name);
    return token !== undefined && !this.#expired(token);
  }

  /**
   * True while what an identity was given still holds: for a named token, that the very value it came
   * from is neither revoked, rotated away nor expired. Other identities are not this store's to judge.
   */
  current(identity: Identity): boolean {
    if (identity.kind !== 'token') return true;
    try {
      this.#refresh();
    } catch {
      return false;
    }
    const token = this.#tokens.find((candidate) => candidate.name === identity.actor);
    return token !== undefined && !this.#expired(token) && issuedAt(token) === identity.issuedAt;
  }

  /** Creates a token; its value is returned once and never stored. */
  create(options: CreateTokenOptions): { value: string; token: TokenInfo } {
    const nameProblem = tokenNameProblem(options.name);
    if (nameProblem) throw new TokenStoreError(nameProblem, 'invalid');
    if (!isRole(options.role)) {
      throw new TokenStoreError(
        `"${String(options.role)}" is not a role: use viewer, operator or admin`,
        'invalid',
      );
    }
    const servers = options.servers && options.servers.length > 0 ? [...new Set(options.servers)] : null;
    const serversProblem = servers ? tokenServersProblem(servers) : null;
    if (serversProblem) throw new TokenStoreError(serversProblem, 'invalid');
    const value = newTokenValue();
    return this.#change((file) => {
      if (file.tokens.some((token) => token.name === options.name)) {
        throw new TokenStoreError(
          `a token named ${options.name} already exists: pick another name, or "mcp-gateway token rotate ${options.name}" for a new value`,
          'conflict',
        );
      }
      const now = this.#now();
      const token: StoredToken = {
        name: options.name,
        role: options.role,
        servers,
        hash: digest(value),
        created: new Date(now).toISOString(),
        rotated: null,
        expires: options.expiresInMs ? new Date(now + options.expiresInMs).toISOString() : null,
        lastUsed: null,
      };
      file.tokens.push(token);
      return { value, token: this.#info(token) };
    });
  }

  /** The token as it was, or undefined when there was no such token. */
  revoke(name: string): TokenInfo | undefined {
    return this.#change((file) => {
      const index = file.tokens.findIndex((token) => token.name === name);
      const [removed] = index < 0 ? [] : file.tokens.splice(index, 1);
      return removed ? this.#info(removed) : undefined;
    });
  }

  /**
   * A new value for the named token; the old value stops working at once, and so does what it opened.
   * `expiresInMs` starts a new lifetime from now; without it the expiry stays. Undefined when there is none.
   */
  rotate(
    name: string,
    options: { expiresInMs?: number | null } = {},
  ): { value: string; token: TokenInfo } | undefined {
    const value = newTokenValue();
    return this.#change((file) => {
      const token = file.tokens.find((candidate) => candidate.name === name);
      if (!token) return undefined;
      const now = this.#now();
      if (options.expiresInMs) token.expires = new Date(now + options.expiresInMs).toISOString();
      else if (this.#expired(token)) {
        throw new TokenStoreError(
          `token ${name} expired at ${token.expires}: a new value would be dead already. Give it a new lifetime: mcp-gateway token rotate ${name} --expires 30d`,
          'conflict',
        );
      }
      token.hash = digest(value);
      // Strictly later than the last issue: a session opened by the old value must not match the new one.
      token.rotated = new Date(Math.max(now, issuedAt(token) + 1)).toISOString();
      token.lastUsed = null;
      return { value, token: this.#info(token) };
    });
  }

  #info(token: StoredToken): TokenInfo {
    const { hash: _hash, ...shown } = token;
    return { ...shown, servers: token.servers ? [...token.servers] : null, expired: this.#expired(token) };
  }

  #expired(token: StoredToken): boolean {
    return token.expires !== null && Date.parse(token.expires) <= this.#now();
  }

  /** Reads, changes and writes the file under its lock; nothing is written when `change` throws. */
  #change<T>(change: (file: TokensFile) => T): T {
    const done = withFileLock(this.path, () => {
      const file = this.#read();
      const result = change(file);
      this.#write(file);
      return { result };
    });
    if (!done) {
      throw new TokenStoreError(
        `${this.path} is being changed by another mcp-gateway process: nothing was changed; try again in a moment (if it persists, remove ${this.path}.lock)`,
      );
    }
    return done.result;
  }

  #touch(token: StoredToken): void {
    const now = this.#now();
    if (token.lastUsed !== null && now - Date.parse(token.lastUsed) < LAST_USED_EVERY_MS) return;
    token.lastUsed = new Date(now).toISOString();
    try {
      // Never waits: when another process holds the file, this hint waits for the next use.
      withFileLock(
        this.path,
        () => {
          const file = this.#read();
          const stored = file.tokens.find((candidate) => candidate.hash === token.hash);
          if (!stored) return;
          stored.lastUsed = token.lastUsed;
          this.#write(file);
        },
        { waitMs: 0 },
      );
    } catch {
      // A hint that could not be saved (read-only dir, a damaged file) must not refuse a right token.
    }
  }

  #refresh(): void {
    const stamp = fileStamp(this.path);
    if (stamp === this.#stamp) return;
    this.#tokens = this.#read().tokens;
    this.#stamp = stamp;
  }

  #read(): TokensFile {
    const text = readOwnedFile(this.path, (message) => new TokenStoreError(message));
    if (text === null) return { version: 1, note: TOKENS_FILE_NOTE, tokens: [] };
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
