import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

/** Creates the storage dir if needed and makes sure it and its files are private. */
export function prepareStorageDir(dir: string, warn: (message: string) => void): StoragePaths {
  const paths = storagePaths(dir);
  if (!existsSync(dir)) {
    try {
      mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    } catch (error) {
      throw new Error(
        `cannot create storage dir ${dir}: ${(error as Error).message}. Choose another with --storage-dir or MCP_GATEWAY_STORAGE`,
      );
    }
  }
  if (!statSync(dir).isDirectory()) {
    throw new Error(`storage dir ${dir} is not a directory: choose another with --storage-dir`);
  }
  tighten(dir, DIR_MODE, warn);
  for (const file of [paths.registry, paths.database, `${paths.database}-wal`, `${paths.database}-shm`]) {
    if (existsSync(file)) tighten(file, FILE_MODE, warn);
  }
  // SQLite creates -wal and -shm with the database file's mode, so the database is created private first.
  if (!existsSync(paths.database)) closeSync(openSync(paths.database, 'a', FILE_MODE));
  return paths;
}
