import { existsSync } from 'node:fs';
import { rekey, type StoreKey } from '../store/cipher.js';
import { openDatabase } from '../store/database.js';

/**
 * Gives audit.db the store's new key (or none) when `mcp-gateway db encrypt|decrypt|rekey` converts
 * logs.db, so the two files keep one key and the gateway opens both. audit.db is small: it is re-keyed in
 * place, which SQLite3 Multiple Ciphers does in one transaction through the rollback journal (hence the
 * switch out of WAL), so an interruption leaves it under the old key, never half converted. Returns the
 * number of entries, or null when there is no audit.db.
 */
export function recryptAuditLog(path: string, from: StoreKey | null, to: StoreKey | null): number | null {
  if (!existsSync(path)) return null;
  const db = openDatabase(path, { key: from });
  try {
    db.pragma('journal_mode = DELETE');
    rekey(db, to);
  } finally {
    db.close();
  }
  const check = openDatabase(path, { key: to });
  try {
    return (check.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
  } finally {
    check.close();
  }
}
