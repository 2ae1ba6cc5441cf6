import { parseJsonObject } from '../storage/owned-file.js';
import { isRole, type Role } from './roles.js';

/**
 * The format of `<storage>/tokens.json`: a version, a note for whoever opens it, and the tokens, each with
 * its value only as a digest. Anything else (a hand edit gone wrong, a file cut short) is refused whole.
 */

/** One named token as stored: its value only as a SHA-256 digest (the value is 256 random bits). */
export interface StoredToken {
  name: string;
  role: Role;
  /** Servers the token is limited to; null means all. */
  servers: string[] | null;
  /** base64url SHA-256 of the token's value. */
  hash: string;
  created: string;
  /** ISO time of the last `rotate`, or null when the value is the one it was created with. */
  rotated: string | null;
  /** ISO time the token stops working, or null. */
  expires: string | null;
  /** ISO time of its last accepted use (updated at most once a minute), or null. */
  lastUsed: string | null;
}

export interface TokensFile {
  version: 1;
  note: string;
  tokens: StoredToken[];
}

export const TOKENS_FILE_NOTE =
  'Token values are stored as SHA-256 digests only. Manage them with: mcp-gateway token create|list|revoke|rotate';

function isStoredToken(value: unknown): value is StoredToken {
  if (typeof value !== 'object' || value === null) return false;
  const token = value as Record<string, unknown>;
  const optionalTime = (time: unknown) =>
    time === null || (typeof time === 'string' && !Number.isNaN(Date.parse(time)));
  return (
    typeof token.name === 'string' &&
    isRole(token.role) &&
    (token.servers === null ||
      (Array.isArray(token.servers) && token.servers.every((s) => typeof s === 'string'))) &&
    typeof token.hash === 'string' &&
    typeof token.created === 'string' &&
    !Number.isNaN(Date.parse(token.created)) &&
    (token.rotated === undefined || optionalTime(token.rotated)) &&
    optionalTime(token.expires) &&
    optionalTime(token.lastUsed)
  );
}

export function parseTokensFile(text: string): TokensFile | null {
  const file = parseJsonObject(text);
  if (!file) return null;
  if (file.version !== 1 || !Array.isArray(file.tokens) || !file.tokens.every(isStoredToken)) return null;
  const tokens = (file.tokens as StoredToken[]).map((token) => ({
    ...token,
    rotated: token.rotated ?? null,
  }));
  return { version: 1, note: TOKENS_FILE_NOTE, tokens };
}
