import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { FILE_MODE } from './storage-dir.js';

/** The file-system calls an atomic write makes; tests pass failing ones in (a full disk). */
export type AtomicWriteFs = Pick<
  typeof fs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'unlinkSync'
>;

/**
 * Writes a file so that readers see either the old or the new content, never half of it: write a
 * temporary file beside it, flush it to disk, then rename over the target (rename is atomic on POSIX).
 * When any step fails (a full disk fails the write or the fsync), the temporary file is removed and
 * the target is untouched; the error is thrown as it came, code included, for the caller to explain.
 */
export function writeFileAtomic(path: string, content: string, io: AtomicWriteFs = fs): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = io.openSync(temp, 'w', FILE_MODE);
  try {
    try {
      io.writeSync(fd, content);
      io.fsyncSync(fd);
    } finally {
      io.closeSync(fd);
    }
    io.renameSync(temp, path);
  } catch (error) {
    try {
      io.unlinkSync(temp);
    } catch {
      // Already gone (or never renamed away): the write's own error is the one worth reporting.
    }
    throw error;
  }
}
