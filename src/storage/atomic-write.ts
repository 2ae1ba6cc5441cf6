import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { FILE_MODE } from './storage-dir.js';

/**
 * Writes a file so that readers see either the old or the new content, never half of it: write a
 * temporary file beside it, flush it to disk, then rename over the target (rename is atomic on POSIX).
 */
export function writeFileAtomic(path: string, content: string): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, 'w', FILE_MODE);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // The temp file is already gone; the rename error is the one worth reporting.
    }
    throw error;
  }
}
