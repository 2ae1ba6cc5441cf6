import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { fsCause } from './storage-errors.js';

/**
 * The storage dir holds credentials (server headers, env) and everything captured, so only its owner may
 * read it: the directory 700, its files 600. Looser modes found at startup are tightened, with a warning.
 */

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

export interface StoragePaths {
  dir: string;
  registry: string;
  database: string;
}

export function storagePaths(dir: string): StoragePaths {
  return { dir, registry: join(dir, 'mcp.json'), database: join(dir, 'logs.db') };
}

function tighten(path: string, mode: number, warn: (message: string) => void): void {
  const current = statSync(path).mode & 0o777;
  if ((current & ~mode) !== 0) {
    chmodSync(path, mode);
    warn(`${path} was readable by others (mode ${current.toString(8)}); tightened it to ${mode.toString(8)}`);
  }
}

/** A storage dir the gateway cannot use; the message names the dir, the cause and the fix. */
export class StorageDirError extends Error {
  override name = 'StorageDirError';
}

const CHOOSE = 'Choose a directory you can write with --storage-dir (or MCP_GATEWAY_STORAGE)';

/** Runs one step of preparing the dir; a file-system failure becomes a StorageDirError saying which step. */
function step<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new StorageDirError(`${what}: ${fsCause(error)}. ${CHOOSE}`);
  }
}

/**
 * Creates the storage dir if needed and makes sure it and its files are private. `database: false` (the
 * capture store is elsewhere, in PostgreSQL) leaves logs.db uncreated.
 */
export function prepareStorageDir(
  dir: string,
  warn: (message: string) => void,
  options: { database?: boolean } = {},
): StoragePaths {
  const paths = storagePaths(dir);
  if (!existsSync(dir)) {
    step(`cannot create storage dir ${dir}`, () => mkdirSync(dir, { recursive: true, mode: DIR_MODE }));
  }
  if (!step(`cannot read storage dir ${dir}`, () => statSync(dir)).isDirectory()) {
    throw new StorageDirError(`storage dir ${dir} is a file, not a directory. ${CHOOSE}`);
  }
  step(`cannot write in storage dir ${dir}`, () => accessSync(dir, constants.W_OK | constants.X_OK));
  step(`cannot make storage dir ${dir} private`, () => tighten(dir, DIR_MODE, warn));
  for (const file of [paths.registry, paths.database, `${paths.database}-wal`, `${paths.database}-shm`]) {
    if (existsSync(file)) step(`cannot make ${file} private`, () => tighten(file, FILE_MODE, warn));
  }
  // SQLite creates -wal and -shm with the database file's mode, so the database is created private first.
  if (options.database !== false && !existsSync(paths.database)) {
    step(`cannot create ${paths.database}`, () => closeSync(openSync(paths.database, 'a', FILE_MODE)));
  }
  return paths;
}
