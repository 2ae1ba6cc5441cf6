import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyKey, rekey, Sqlite, type StoreKey } from './cipher.js';
import { type Database, openDatabase } from './database.js';

export interface Conversion {
  /** Captured records in the store, the same before and after. */
  records: number;
  /** Size of the new logs.db. */
  bytes: number;
  ms: number;
}

/** Beside logs.db, so the final rename stays on one file system (rename(2) is atomic only there). */
export const convertingPath = (path: string) => `${path}.converting`;

/** Another connection holds logs.db (a gateway or `wrap` writing into it): converting now would lose its writes. */
export class StoreInUseError extends Error {
  override name = 'StoreInUseError';
}

/**
 * Rewrites logs.db from key `from` to key `to` (null: not encrypted), the safe way round: a complete new
 * file is written beside it, checked page by page, flushed to disk, and only then renamed over the old
 * one. A crash (kill -9, power cut) before the rename leaves the old store as it was, one after it leaves
 * the new one; the half-written file beside it is removed by the next conversion.
 */
export function convertStore(
  path: string,
  from: StoreKey | null,
  to: StoreKey | null,
  /** Runs once the new file is complete and on disk, just before it replaces the old one. */
  beforeRename: () => void = () => {},
): Conversion {
  const started = performance.now();
  const target = convertingPath(path);
  removeLeftovers(target);
  const source = openDatabase(path, { key: from });
  let records: number;
  try {
    holdExclusively(source, path);
    records = countRecords(source);
    // VACUUM INTO writes a compact copy through SQLite, the WAL's last transactions included; an encrypted
    // source gives a copy encrypted with the same key, which rekey() below turns into the target's.
    closeSync(openSync(target, 'w', 0o600));
    source.prepare('VACUUM INTO ?').run(target);
    recrypt(target, from, to);
    verify(target, to, records);
    fsyncFile(target);
  } catch (error) {
    source.close();
    removeLeftovers(target);
    throw error;
  }
  // Closing the last connection checkpoints the WAL into logs.db and deletes it: a WAL left behind belongs
  // to a connection that opened logs.db meanwhile, and would be applied to the new file after the rename.
  source.close();
  if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0) {
    removeLeftovers(target);
    throw new StoreInUseError(
      `${path} was opened by another process while it was converted; nothing was changed`,
    );
  }
  try {
    beforeRename();
  } catch (error) {
    removeLeftovers(target);
    throw error;
  }
  rmSync(`${path}-shm`, { force: true });
  renameSync(target, path);
  fsyncFile(dirname(path));
  return { records, bytes: statSync(path).size, ms: performance.now() - started };
}

function removeLeftovers(target: string): void {
  for (const file of [target, `${target}-journal`]) rmSync(file, { force: true });
}

/**
 * Exclusive locking mode keeps every other connection out until this one closes (SQLite docs, "PRAGMA
 * locking_mode"): none may write what the copy would miss. Failing to get the lock means one is open now.
 */
function holdExclusively(db: Database, path: string): void {
  db.pragma('busy_timeout = 1000');
  db.pragma('locking_mode = EXCLUSIVE');
  try {
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new StoreInUseError(
      `${path} is in use by another process (an "mcp-gateway wrap" recording a stdio server, or a tool reading it): stop it and try again`,
    );
  }
}

function countRecords(db: Database): number {
  const hasRecords = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'")
    .get();
  return hasRecords ? (db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n : 0;
}

/** The copy is not in WAL mode (VACUUM INTO writes a rollback-journal file), where rekey works. */
function recrypt(path: string, from: StoreKey | null, to: StoreKey | null): void {
  const db = new Sqlite(path, { fileMustExist: true });
  try {
    if (from) applyKey(db, from);
    rekey(db, to);
  } finally {
    db.close();
  }
}

/** Every page of the new file is read back (and, encrypted, authenticated) before it replaces the old. */
function verify(path: string, key: StoreKey | null, records: number): void {
  const db = openDatabase(path, { readonly: true, key });
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`the converted copy of the store failed its check (${check})`);
    const copied = countRecords(db);
    if (copied !== records) throw new Error(`the converted copy holds ${copied} records, not ${records}`);
  } finally {
    db.close();
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
