import { readFileSync, statSync } from 'node:fs';

/**
 * Small JSON files the gateway keeps in the storage dir (tokens.json, secrets.json) and that a CLI in
 * another process may change at any moment: read whole, checked by their owner, and watched by a stamp.
 */

/** What identifies a version of the file: a replace (atomic write) changes the inode, an edit the size or time. */
export function fileStamp(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * The file's text, or null when there is none yet. Any other failure is thrown as `fail` makes it, with the
 * cause and what to do.
 */
export function readOwnedFile(path: string, fail: (message: string) => Error): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fail(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Make it readable by the gateway's user.`,
    );
  }
}

/** The text as a JSON object, or null when it is not one (malformed, an array, a bare value). */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)
    : null;
}
