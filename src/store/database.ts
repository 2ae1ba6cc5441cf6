import { closeSync, existsSync, openSync, readSync, renameSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './migrations.js';

export type { Database };

/**
 * Opens logs.db. WAL lets the API read while the capture writer writes; synchronous=NORMAL is durable
 * against process crashes (a power cut may lose the last transactions, never corrupt the file).
 */
export function openDatabase(
  path: string,
  options: { readonly?: boolean; migrate?: boolean } = {},
): Database {
  let db: Database;
  try {
    db = new BetterSqlite3(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
  } catch (error) {
    throw new Error(`cannot open ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
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

/** SQLite file format, "The Database Header": every database file starts with these 16 bytes. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Checked before SQLite opens the file: once SQLite has opened and closed a file it cannot read, it has
 * already deleted the -wal beside it, which may hold the last captures.
 */
function hasForeignHeader(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, head, 0, head.length, 0);
    return read > 0 && !head.subarray(0, read).equals(SQLITE_HEADER.subarray(0, read));
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens logs.db for writing; a file that is not a readable SQLite database is moved aside and a fresh
 * one started, so capture (and the proxy) keep going. `warn` is told which file, where it went and why.
 */
export function openDatabaseOrStartFresh(
  path: string,
  options: { migrate?: boolean },
  warn: (message: string) => void,
): Database {
  try {
    if (hasForeignHeader(path)) {
      throw Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' });
    }
    return openDatabase(path, options);
  } catch (error) {
    if (!isCorruptDatabase(error)) throw error;
    const aside = moveCorruptDatabaseAside(path);
    warn(
      `${path} is not a readable SQLite database (${(error as Error).message}); moved it to ${aside} and started a fresh logs.db. Captures before now are in that file; delete it once you no longer need it.`,
    );
    return openDatabase(path, options);
  }
}
