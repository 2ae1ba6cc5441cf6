import { closeSync, openSync, readSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import Ciphers from 'better-sqlite3-multiple-ciphers';

/**
 * Whole-file encryption of logs.db with SQLite3 Multiple Ciphers (the `better-sqlite3-multiple-ciphers`
 * build of better-sqlite3): every page of the database and of its WAL is encrypted before it reaches the
 * disk, so the full-text index, free pages and the WAL hold no plain text either.
 */

/** The passphrase a store is encrypted with, and where it came from (named in messages, never shown). */
export interface StoreKey {
  readonly passphrase: string;
  /** "MCP_GATEWAY_DB_KEY" or "--db-key-file /path": what the user set, so messages can name it. */
  readonly source: string;
}

/**
 * AEGIS-256: of the authenticated ciphers SQLite3 Multiple Ciphers offers (AEGIS, ChaCha20-Poly1305,
 * SQLCipher's AES-256-CBC + HMAC-SHA512) the fastest for capture writes and for reads, measured
 * (docs/encryption.md, "Which cipher"); authenticated, so a page changed on disk fails to decrypt instead
 * of being read as other data; and its key is derived from the passphrase with Argon2id, which makes
 * guessing passphrases costly. The cipher is not recorded in the file: changing it needs a conversion.
 */
export const STORE_CIPHER = 'aegis';

/** A key missing, wrong, or for a store that is not encrypted: the user fixes it (exit 2), nothing is moved. */
export class StoreKeyError extends Error {
  override name = 'StoreKeyError';
}

/**
 * The SQLite3 Multiple Ciphers build of better-sqlite3 opens every store, plain ones too: the same SQLite
 * (3.53.2, same compile options), the same API, and measured as fast as better-sqlite3 on plain stores
 * (docs/encryption.md), so there is one driver and one code path. Typed as better-sqlite3, which it is.
 */
export const Sqlite = Ciphers as unknown as typeof BetterSqlite3;

type CipherDatabase = Database & { key(key: Buffer): number; rekey(key: Buffer): number };

/** Selects the cipher and gives the connection its key; SQLite reads nothing before the first statement. */
export function applyKey(db: Database, key: StoreKey): void {
  db.pragma(`cipher = '${STORE_CIPHER}'`);
  (db as CipherDatabase).key(Buffer.from(key.passphrase, 'utf8'));
}

/** Re-encrypts every page of a database not in WAL mode with `key` (or none: decrypts it). */
export function rekey(db: Database, key: StoreKey | null): void {
  db.pragma(`cipher = '${STORE_CIPHER}'`);
  (db as CipherDatabase).rekey(Buffer.from(key?.passphrase ?? '', 'utf8'));
}

/** What the first bytes of a database file say it is. */
export type FileKind = 'empty' | 'plain' | 'encrypted' | 'foreign';

/** SQLite file format, "The Database Header": every database file starts with these 16 bytes. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Reads the database header. SQLite3 Multiple Ciphers replaces its first 16 bytes with the key's salt but
 * keeps bytes 16 to 23 readable (page size, file format versions, reserved bytes, payload fractions), so
 * an encrypted store is told from a foreign or damaged file without any key: the payload fractions are
 * always 64, 32 and 32 (SQLite file format, "The Database Header"), and encryption reserves bytes per page
 * for its nonce and authentication tag.
 */
export function fileKind(path: string): FileKind {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 'empty';
  }
  const head = Buffer.alloc(24);
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read === 0) return 'empty';
  const start = Math.min(read, SQLITE_HEADER.length);
  if (head.subarray(0, start).equals(SQLITE_HEADER.subarray(0, start))) return 'plain';
  if (read < 24) return 'foreign';
  const pageSize = head.readUInt16BE(16);
  const validPageSize = pageSize === 1 || (pageSize >= 512 && (pageSize & (pageSize - 1)) === 0);
  const versions = [1, 2].includes(head[18] as number) && [1, 2].includes(head[19] as number);
  const fractions = head[21] === 64 && head[22] === 32 && head[23] === 32;
  return validPageSize && versions && fractions && (head[20] as number) > 0 ? 'encrypted' : 'foreign';
}
