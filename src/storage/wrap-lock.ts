import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning, type LockHolder, runningGateway } from './gateway-lock.js';
import { FILE_MODE } from './storage-dir.js';

/**
 * `mcp-gateway wrap` writes into logs.db beside a gateway, so it never takes gateway.lock. But a `db
 * encrypt|decrypt|rekey` replaces logs.db with a new file (rename), and a wrap that opened the old one
 * would write into a file nobody reads again. So each wrap marks the storage dir with `wrap-<pid>.lock`
 * while it runs, and the two sides check each other the same way round: a wrap writes its mark, then
 * looks for a conversion; `db` takes gateway.lock, then looks for marks. Whichever comes second sees the
 * first (each writes before it reads), so they never both go ahead.
 */
const MARK = /^wrap-(\d+)\.lock$/;

/** A conversion holds the storage dir past the time wrap waits for it. */
export class ConversionInProgressError extends Error {
  override name = 'ConversionInProgressError';
}

export interface WrapMark {
  release(): void;
}

const NO_MARK: WrapMark = { release: () => {} };

function mark(dir: string): WrapMark | null {
  const path = join(dir, `wrap-${process.pid}.lock`);
  try {
    writeFileSync(path, `${process.pid}\n`, { mode: FILE_MODE });
  } catch {
    // No storage dir yet (nothing to convert) or none we may write: opening the store says what is wrong.
    return null;
  }
  const release = () => {
    process.off('exit', release);
    rmSync(path, { force: true });
  };
  process.once('exit', release);
  return { release };
}

function conversion(dir: string): LockHolder | null {
  try {
    const holder = runningGateway(dir);
    return holder?.task ? holder : null;
  } catch {
    return null;
  }
}

export interface WaitOptions {
  /** How long to wait for a conversion to finish before giving up. */
  waitMs?: number;
  pollMs?: number;
  /** Told once, when wrap starts waiting. */
  onWait?: (holder: LockHolder) => void;
}

/**
 * Marks the storage dir for this wrap, first waiting (up to `waitMs`) while a `db` conversion holds it.
 * Throws ConversionInProgressError when the conversion is still running after that.
 */
export async function markForWrap(dir: string, options: WaitOptions = {}): Promise<WrapMark> {
  const { waitMs = 30_000, pollMs = 200, onWait } = options;
  const started = Date.now();
  let told = false;
  for (;;) {
    const mine = mark(dir);
    const holder = conversion(dir);
    if (!holder) return mine ?? NO_MARK;
    mine?.release();
    if (Date.now() - started >= waitMs) {
      throw new ConversionInProgressError(
        `${holder.task} (pid ${holder.pid}) is still converting ${join(dir, 'logs.db')} after ${Math.round(waitMs / 1000)} s; nothing was started. Start this again when it has finished`,
      );
    }
    if (!told) onWait?.(holder);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The pids of the wraps recording into this storage dir now; marks of wraps that died are removed. */
export function runningWraps(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of names) {
    const pid = Number(MARK.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    if (isRunning(pid)) pids.push(pid);
    else rmSync(join(dir, name), { force: true });
  }
  return pids;
}
