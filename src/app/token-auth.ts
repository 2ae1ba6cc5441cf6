import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Checks the gateway token in constant time. Comparing fixed-length digests means neither the content nor
 * the length of the token leaks through timing.
 */
export function createTokenCheck(token: string): (candidate: string | null | undefined) => boolean {
  const expected = digest(token);
  return (candidate) => {
    if (!candidate) return false;
    return timingSafeEqual(digest(candidate), expected);
  };
}

/** The token from `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] as string) : null;
}
