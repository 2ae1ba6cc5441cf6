import { closeSync, existsSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from 'better-sqlite3';
import { applyKey, fileKind, Sqlite, type StoreKey, StoreKeyError } from './cipher.js';
import { migrate } from './migrations.js';

export type { Database };

export interface OpenOptions {
  readonly?: boolean;
  migrate?: boolean;
  /** The store's key: logs.db is (or, when new, becomes) encrypted with it. */
  key?: StoreKey | null;
}

/**
 * Opens logs.db. WAL lets the API read while the capture writer writes; synchronous=NORMAL is durable
 * against process crashes (a power cut may lose the last transactions, never corrupt the file).
 */
export function openDatabase(path: string, options: OpenOptions = {}): Database {
  const key = options.key ?? null;
  const readonly = options.readonly ?? false;
  checkKeyFits(path, key, readonly);
  let db: Database;
  try {
    db = new Sqlite(path, { readonly, fileMustExist: readonly });
  } catch (error) {
    throw new Error(`cannot open ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    if (key) {
      applyKey(db, key);
      readSchema(db, path, key);
    }
    db.pragma('busy_timeout = 5000');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    if (options.migrate) {
      // Incremental auto-vacuum lets retention give freed pages back to the file system (SQLite docs,
      // "PRAGMA auto_vacuum"); it can only be chosen before the first table exists.
      if ((db.pragma('user_version', { simple: true }) as number) === 0) {
        db.pragma('auto_vacuum = INCREMENTAL');
      }
      migrate(db);
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** `mcp-gateway db …` in the storage dir of `path`, for messages. */
function dbCommand(command: string, path: string): string {
  return `mcp-gateway db ${command} --storage-dir ${dirname(path)}`;
}

/**
 * Compares the file with the key before SQLite opens it for writing: a key for a plain store, or none for
 * an encrypted one, is the user's mistake to fix, and must not cost the file (a plain connection that
 * cannot read the file would still checkpoint its WAL on close); with a key, a read-only connection checks
 * it can decrypt before a writing one opens, which leaves the file and its WAL as they are.
 */
function checkKeyFits(path: string, key: StoreKey | null, readonly: boolean): void {
  const kind = fileKind(path);
  if (!key && kind === 'encrypted') {
    throw new StoreKeyError(
      `${path} is encrypted and no key was given: set MCP_GATEWAY_DB_KEY to its passphrase or pass --db-key-file <file>, or use another --storage-dir to start a new store`,
    );
  }
  if (key && kind === 'plain') {
    throw new StoreKeyError(
      `${path} is not encrypted, but a key was given (${key.source}): encrypt it first with "${dbCommand('encrypt', path)}", or start without the key`,
    );
  }
  if (key && !readonly && (kind === 'encrypted' || kind === 'foreign')) {
    const probe = new Sqlite(path, { readonly: true, fileMustExist: true });
    try {
      applyKey(probe, key);
      readSchema(probe, path, key);
    } finally {
      probe.close();
    }
  }
}

/** The first read decrypts page 1: a wrong key (or a file that is no encrypted store) fails here. */
function readSchema(db: Database, path: string, key: StoreKey): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    if (!isCorruptDatabase(error)) throw error;
    throw new StoreKeyError(
      `cannot decrypt ${path} with the key from ${key.source}: the key is wrong, or the file is not an encrypted logs.db. Give the key it was encrypted with; the file was left as it was`,
      { cause: error },
    );
  }
}

/** SQLite's verdict that the file is no database it can read (a foreign file, or a damaged one). */
export function isCorruptDatabase(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 'SQLITE_NOTADB' || e.code === 'SQLITE_CORRUPT') return true;
  }
  return false;
}

/**
 * Moves a database SQLite cannot read aside, with its -wal and -shm, as `<name>.corrupt-<time>`: nothing
 * is deleted, and a fresh, private file takes its place. Returns the new name of the old file.
 */
export function moveCorruptDatabaseAside(path: string, now = new Date()): string {
  const aside = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, aside);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${aside}${suffix}`);
  }
  // Private from the start, as the storage dir's files are (and SQLite gives -wal/-shm this mode too).
  closeSync(openSync(path, 'a', 0o600));
  return aside;
}

/**
 * Opens logs.db for writing; a file that is not a readable SQLite database is moved aside and a fresh
 * one started, so capture (and the proxy) keep going. `warn` is told which file, where it went and why.
 * An encrypted store is never taken for a damaged one: a missing or wrong key throws StoreKeyError.
 */
export function openDatabaseOrStartFresh(
  path: string,
  options: Omit<OpenOptions, 'readonly'>,
  warn: (message: string) => void,
): Database {
  try {
    // Checked before SQLite opens the file: once SQLite has opened and closed a file it cannot read, it
    // has already deleted the -wal beside it, which may hold the last captures.
    if (!options.key && fileKind(path) === 'foreign') {
      throw Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' });
    }
    return openDatabase(path, options);
  } catch (error) {
    if (error instanceof StoreKeyError || !isCorruptDatabase(error)) throw error;
    const aside = moveCorruptDatabaseAside(path);
    warn(
      `${path} is not a readable SQLite database (${(error as Error).message}); moved it to ${aside} and started a fresh logs.db. Captures before now are in that file; delete it once you no longer need it.`,
    );
    return openDatabase(path, options);
  }
}
