/**
 * File-system failures in the words a user acts on. Node's own text ("EPERM: operation not permitted,
 * mkdir '/x'") names neither the fix nor, often, which of the gateway's files was meant.
 */
const CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  ENOENT: 'part of the path does not exist',
  ELOOP: 'the path has a symbolic link loop',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'the disk reported an I/O error',
  EMFILE: 'the gateway has too many files open',
};

export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** "the disk is full (ENOSPC)", or Node's message when the code is not one of the usual ones. */
export function fsCause(error: unknown): string {
  const code = errorCode(error);
  const cause = code ? CAUSES[code] : undefined;
  if (cause) return `${cause} (${code})`;
  return (error as Error)?.message ?? String(error);
}

/** The disk (or the user's quota) has no room left: freeing space fixes it, nothing else does. */
export function isOutOfSpace(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** The gateway may not write there: a different directory, or different permissions, fixes it. */
export function isNotWritable(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}
