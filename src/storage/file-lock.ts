import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';

/** A lock left by a process that died mid-write is taken over after this long; writes take milliseconds. */
const STALE_MS = 10_000;
const WAIT_STEP_MS = 10;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function tryTake(path: string): boolean {
  try {
    closeSync(openSync(path, 'wx', 0o600));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  try {
    if (Date.now() - statSync(path).mtimeMs > STALE_MS) unlinkSync(path);
  } catch {
    // Released meanwhile: the next try takes it.
  }
  return false;
}

/**
 * Runs `change` while holding `<file>.lock`, so that two processes on one storage dir (a running gateway
 * and a CLI command) never read, change and write the same file at once: without it, a write that
 * started from an older read would undo the other one (a revoked token would come back).
 * Returns undefined when the lock stayed taken for `waitMs` (0: give up at once).
 */
export function withFileLock<T>(
  file: string,
  change: () => T,
  options: { waitMs?: number } = {},
): T | undefined {
  const path = `${file}.lock`;
  const deadline = Date.now() + (options.waitMs ?? 3_000);
  while (!tryTake(path)) {
    if (Date.now() >= deadline) return undefined;
    // A synchronous pause: the callers are synchronous and the holder is another process.
    Atomics.wait(sleeper, 0, 0, WAIT_STEP_MS);
  }
  try {
    return change();
  } finally {
    try {
      unlinkSync(path);
    } catch {
      // Taken over as stale: nothing left to release.
    }
  }
}
