import { existsSync } from 'node:fs';
import { auditPath } from '../audit/audit-store.js';
import { recordCliAct } from '../audit/cli-record.js';
import { recryptAuditLog } from '../audit/recrypt-audit.js';
import { ConfigError, resolveStorageDir, resolveStoreKey } from '../config/options.js';
import { GatewayLockedError, lockStorageDir, runningGateway } from '../storage/gateway-lock.js';
import { storagePaths } from '../storage/storage-dir.js';
import { KEY_ENV } from '../storage/store-key.js';
import { fileKind, type StoreKey, StoreKeyError } from '../store/cipher.js';
import { type Conversion, convertStore, StoreInUseError } from '../store/convert-store.js';
import { openDatabase } from '../store/database.js';
import { strictParse } from './subcommand-args.js';

export const NEW_KEY_ENV = 'MCP_GATEWAY_NEW_DB_KEY';

export const DB_HELP = `Usage: mcp-gateway db encrypt [--storage-dir DIR] [--db-key-file FILE]
       mcp-gateway db decrypt [--storage-dir DIR] [--db-key-file FILE]
       mcp-gateway db rekey   [--storage-dir DIR] [--db-key-file FILE] [--new-key-file FILE]

Converts the storage dir's logs.db in place: encrypt a plain store with the key, decrypt an encrypted
one, or give it a new key. A complete new file is written and checked before it replaces the old one, so
an interrupted conversion loses nothing. Stop the gateway on the storage dir first.

Options:
  --storage-dir <dir>    The storage dir (env MCP_GATEWAY_STORAGE, default ~/.mcp-gateway)
  --db-key-file <file>   The store's key (encrypt: the new one), in a mode 600 file (or env ${KEY_ENV})
  --new-key-file <file>  rekey: the new key, in a mode 600 file (or env ${NEW_KEY_ENV})

Docs: docs/encryption.md`;

export type DbAction = 'encrypt' | 'decrypt' | 'rekey';

export interface DbOptions {
  action: DbAction;
  storageDir?: string;
  dbKeyFile?: string;
  newKeyFile?: string;
}

export function parseDb(
  argv: readonly string[],
): { command: 'db'; options: DbOptions } | { command: 'help'; text: string } {
  const { values, positionals } = strictParse(
    argv,
    {
      'storage-dir': { type: 'string' },
      'db-key-file': { type: 'string' },
      'new-key-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    'db',
  );
  if (values.help || positionals.length === 0) return { command: 'help', text: DB_HELP };
  const [action, extra] = positionals;
  if (action !== 'encrypt' && action !== 'decrypt' && action !== 'rekey') {
    throw new ConfigError(
      `unknown db command "${action}": use encrypt, decrypt or rekey. See mcp-gateway db --help`,
    );
  }
  if (extra !== undefined) throw new ConfigError(`unexpected argument "${extra}". See mcp-gateway db --help`);
  if (values['new-key-file'] !== undefined && action !== 'rekey') {
    throw new ConfigError('--new-key-file is for db rekey only. See mcp-gateway db --help');
  }
  const string = (name: string) => values[name] as string | undefined;
  return {
    command: 'db',
    options: {
      action,
      ...(string('storage-dir') !== undefined ? { storageDir: string('storage-dir') } : {}),
      ...(string('db-key-file') !== undefined ? { dbKeyFile: string('db-key-file') } : {}),
      ...(string('new-key-file') !== undefined ? { newKeyFile: string('new-key-file') } : {}),
    },
  };
}

export interface DbIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** The keys before and after, from the options and the environment; refuses what cannot be meant. */
function keysFor(options: DbOptions, env: NodeJS.ProcessEnv): { from: StoreKey | null; to: StoreKey | null } {
  const key = resolveStoreKey(options.dbKeyFile, env);
  const needKey = `give the key with ${KEY_ENV} or --db-key-file <file>`;
  if (!key) throw new ConfigError(`db ${options.action} needs the store's key: ${needKey}`);
  if (options.action === 'encrypt') return { from: null, to: key };
  if (options.action === 'decrypt') return { from: key, to: null };
  const fresh = resolveStoreKey(options.newKeyFile, env, NEW_KEY_ENV);
  if (!fresh) {
    throw new ConfigError(
      `db rekey needs the new key too: give it with ${NEW_KEY_ENV} or --new-key-file <file>`,
    );
  }
  return { from: key, to: fresh };
}

/** The store must be in the state the action starts from; otherwise say what it is and what to run. */
function checkState(action: DbAction, path: string): void {
  const kind = fileKind(path);
  if (kind === 'empty') {
    throw new ConfigError(
      `${path} does not exist or is empty: there is nothing to ${action}. Check --storage-dir; a gateway started with a key creates an encrypted store`,
    );
  }
  if (kind === 'foreign') throw new ConfigError(`${path} is not a SQLite database: nothing was changed`);
  if (action === 'encrypt' && kind === 'encrypted') {
    throw new ConfigError(`${path} is already encrypted: to change its key, run mcp-gateway db rekey`);
  }
  if (action !== 'encrypt' && kind === 'plain') {
    throw new ConfigError(`${path} is not encrypted: to encrypt it, run mcp-gateway db encrypt`);
  }
}

const DOING: Record<DbAction, string> = { encrypt: 'Encrypting', decrypt: 'Decrypting', rekey: 'Re-keying' };
const DONE: Record<DbAction, string> = { encrypt: 'Encrypted', decrypt: 'Decrypted', rekey: 'Re-keyed' };

function summary(action: DbAction, path: string, result: Conversion, to: StoreKey | null): string {
  const size = `${(result.bytes / 2 ** 20).toFixed(1)} MiB`;
  const took = `${(result.ms / 1000).toFixed(1)} s`;
  const next = to
    ? `Start the gateway with the key from ${to.source}.`
    : `Start the gateway without ${KEY_ENV} or --db-key-file.`;
  return `${DONE[action]} ${path} (${result.records.toLocaleString('en-US')} records, ${size}) in ${took}. ${next}`;
}

/**
 * `mcp-gateway db encrypt|decrypt|rekey`. Holds the storage dir's gateway.lock while it works, so no
 * gateway starts on a store being rewritten; refuses while one runs. Resolves with the exit code.
 */
export async function runDb(
  options: DbOptions,
  io: DbIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const fail = (message: string, code: number) => {
    io.err(`mcp-gateway: ${message}`);
    return code;
  };
  let dir: string;
  let keys: { from: StoreKey | null; to: StoreKey | null };
  try {
    dir = resolveStorageDir(options.storageDir, env);
    keys = keysFor(options, env);
    checkState(options.action, storagePaths(dir).database);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message, EXIT_USAGE);
    throw error;
  }
  const path = storagePaths(dir).database;
  const running = runningGateway(dir);
  if (running) {
    const where = running.url ? ` at ${running.url}` : '';
    return fail(
      `a gateway (pid ${running.pid}${where}) is running on storage dir ${dir}: stop it, then run mcp-gateway db ${options.action} again`,
      EXIT_FAILED,
    );
  }
  let lock: ReturnType<typeof lockStorageDir>;
  try {
    lock = lockStorageDir(dir, () => {});
  } catch (error) {
    if (error instanceof GatewayLockedError) return fail(error.message, EXIT_FAILED);
    throw error;
  }
  try {
    io.out(`${DOING[options.action]} ${path} ...`);
    // The audit log shares the store's key. It is small, so it goes first and is put back if logs.db
    // cannot be converted: either both files change key, or neither does.
    const audit = auditPath(dir);
    // A wrong key is logs.db's to report (the store the user means): tried on it before audit.db is touched.
    if (existsSync(audit)) openDatabase(path, { key: keys.from, readonly: true }).close();
    const entries = recryptAuditLog(audit, keys.from, keys.to);
    let result: Conversion;
    try {
      result = convertStore(path, keys.from, keys.to);
    } catch (error) {
      if (entries !== null) recryptAuditLog(audit, keys.to, keys.from);
      throw error;
    }
    recordCliAct(dir, keys.to, { action: `db.${options.action}`, target: 'logs.db', outcome: 'ok' }, (m) =>
      io.err(`warning: ${m}`),
    );
    io.out(summary(options.action, path, result, keys.to));
    if (entries !== null) io.out(`The audit log ${audit} (${entries} entries) has the same key now.`);
    return 0;
  } catch (error) {
    if (error instanceof StoreKeyError) return fail(error.message, EXIT_USAGE);
    if (error instanceof StoreInUseError) return fail(error.message, EXIT_FAILED);
    return fail(
      `could not ${options.action} ${path}: ${(error as Error).message}; the store was left as it was`,
      EXIT_FAILED,
    );
  } finally {
    lock.release();
  }
}
