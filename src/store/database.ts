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
    throw new Error(`cannot open ${path}: ${(error as Error).message}`);
  }
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  if (options.migrate) {
    try {
      // Incremental auto-vacuum lets retention give freed pages back to the file system (SQLite docs,
      // "PRAGMA auto_vacuum"); it can only be chosen before the first table exists.
      if ((db.pragma('user_version', { simple: true }) as number) === 0) {
        db.pragma('auto_vacuum = INCREMENTAL');
      }
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }
  return db;
}
