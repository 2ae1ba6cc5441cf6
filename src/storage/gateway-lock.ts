import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_MODE } from './storage-dir.js';

/**
 * What a running gateway writes into `gateway.lock` in its storage dir. The token is there for
 * `mcp-gateway ui`, which prints the sign-in link again: the file is the owner's alone (mode 600 in a
 * 700 directory), as is everything the token opens.
 */
export interface LockHolder {
  pid: number;
  port: number | null;
  url: string | null;
  token?: string;
  /** Set when a command rather than a gateway holds the dir: "mcp-gateway db encrypt". */
  task?: string;
}

/** Another gateway runs on this storage dir; the message names its pid and URL and what to do. */
export class GatewayLockedError extends Error {
  override name = 'GatewayLockedError';
}

export interface GatewayLock {
  readonly path: string;
  /** Records where this gateway listens (for the message a second one prints) and its token (for `ui`). */
  listening(port: number, url: string, token: string): void;
  release(): void;
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; it still holds the lock.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      port: parsed.port ?? null,
      url: parsed.url ?? null,
      ...(typeof parsed.token === 'string' ? { token: parsed.token } : {}),
      ...(typeof parsed.task === 'string' ? { task: parsed.task } : {}),
    };
  } catch {
    return null;
  }
}

/**
 * The gateway running on storage dir `dir`, as its lock records it; null when none runs there. Throws
 * when the lock cannot be read (not the owner of the storage dir).
 */
export function runningGateway(dir: string): LockHolder | null {
  const path = join(dir, 'gateway.lock');
  try {
    readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const holder = readHolder(path);
  return holder && isRunning(holder.pid) ? holder : null;
}

/**
 * One gateway per storage dir: two would each run a copy of every stdio server and race each other's
 * retention and registry writes. `gateway.lock` holds the running gateway's pid and URL; it is created
 * with O_EXCL, so of two gateways starting at once exactly one wins. A lock whose pid is gone (a gateway
 * that was killed) is taken over with a note. `mcp-gateway db` takes it too (as `task`), for the whole
 * conversion. `wrap` and `connect` never take it: they are separate tools meant to run beside a gateway
 * (wrap waits for a conversion instead, storage/wrap-lock.ts).
 */
export function lockStorageDir(dir: string, warn: (message: string) => void, task?: string): GatewayLock {
  const path = join(dir, 'gateway.lock');
  const mine = (holder: LockHolder) => `${JSON.stringify(holder)}\n`;
  let holder: LockHolder = { pid: process.pid, port: null, url: null, ...(task ? { task } : {}) };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const other = readHolder(path);
      if (other && isRunning(other.pid)) {
        if (other.task) {
          throw new GatewayLockedError(
            `${other.task} (pid ${other.pid}) is converting storage dir ${dir}: wait until it has finished, then try again`,
          );
        }
        const where = other.url ? ` at ${other.url}` : '';
        throw new GatewayLockedError(
          `another gateway (pid ${other.pid}${where}) is already running on storage dir ${dir}. Use that one, stop it first, or start this one with another --storage-dir (if no gateway runs, delete ${path})`,
        );
      }
      warn(
        other
          ? `took over ${path}: the gateway that held it (pid ${other.pid}) is no longer running`
          : `replaced ${path}, which was unreadable`,
      );
      unlinkSync(path);
      continue;
    }
    writeSync(fd, mine(holder));
    closeSync(fd);
    break;
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only our own lock: a gateway that took over a lock it judged stale must keep it.
    if (readHolder(path)?.pid === process.pid) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    }
  };
  process.once('exit', release);
  return {
    path,
    listening(port, url, token) {
      holder = { pid: process.pid, port, url, token };
      writeFileSync(path, mine(holder), { mode: FILE_MODE });
    },
    release,
  };
}
