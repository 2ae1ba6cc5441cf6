import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { auditPath } from '../audit/audit-store.js';
import { recordCliAct } from '../audit/cli-record.js';
import { recryptAuditLog } from '../audit/recrypt-audit.js';
import { ConfigError, resolveStorageDir } from '../config/options.js';
import { GatewayLockedError, lockStorageDir, runningGateway } from '../storage/gateway-lock.js';
import { KEYCHAIN_SOURCE, type Keychain, osKeychain } from '../storage/keychain.js';
import { storagePaths } from '../storage/storage-dir.js';
import { KEY_ENV } from '../storage/store-key.js';
import { runningWraps } from '../storage/wrap-lock.js';
import { fileKind, type StoreKey, StoreKeyError } from '../store/cipher.js';
import { type Conversion, convertStore, StoreInUseError } from '../store/convert-store.js';
import { openDatabase } from '../store/database.js';
import { type KeyPlan, NEW_KEY_ENV, planKeys } from './db-keys.js';
import { readSecretsForCarry } from './db-secrets.js';
import { strictParse } from './subcommand-args.js';

export { NEW_KEY_ENV };

export const DB_HELP = `Usage: mcp-gateway db encrypt [--storage-dir DIR] [--db-key-file FILE | --keychain]
       mcp-gateway db decrypt [--storage-dir DIR] [--db-key-file FILE]
       mcp-gateway db rekey   [--storage-dir DIR] [--db-key-file FILE] [--new-key-file FILE | --keychain]

Converts the storage dir's logs.db in place: encrypt a plain store with the key, decrypt an encrypted
one, or give it a new key. A complete new file is written and checked before it replaces the old one, so
an interrupted conversion loses nothing. Stop the gateway on the storage dir first. The secret store
(secrets.json) is sealed again with the new key.

Options:
  --storage-dir <dir>    The storage dir (env MCP_GATEWAY_STORAGE, default ~/.mcp-gateway)
  --db-key-file <file>   The store's key (encrypt: the new one), in a mode 600 file (or env ${KEY_ENV};
                         else the OS keychain's entry for the storage dir)
  --new-key-file <file>  rekey: the new key, in a mode 600 file (or env ${NEW_KEY_ENV})
  --keychain             encrypt, rekey: make a random 256-bit key and keep it in the OS keychain
                         (service mcp-gateway, account the storage dir); decrypt removes it again

Docs: docs/encryption.md`;

export type DbAction = 'encrypt' | 'decrypt' | 'rekey';

export interface DbOptions {
  action: DbAction;
  storageDir?: string;
  dbKeyFile?: string;
  newKeyFile?: string;
  /** encrypt, rekey: a random key kept in the OS keychain. */
  keychain?: boolean;
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
      keychain: { type: 'boolean' },
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
  if (values.keychain === true && action === 'decrypt') {
    throw new ConfigError(
      '--keychain is for db encrypt and db rekey: db decrypt finds the key in the OS keychain by itself (and removes it)',
    );
  }
  const string = (name: string) => values[name] as string | undefined;
  return {
    command: 'db',
    options: {
      action,
      ...(values.keychain === true ? { keychain: true } : {}),
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
    ? to.source === KEYCHAIN_SOURCE
      ? `The key is in ${KEYCHAIN_SOURCE} (service mcp-gateway, account ${dirname(path)}); the gateway finds it there when no other key is given.`
      : `Start the gateway with the key from ${to.source}.`
    : `Start the gateway without ${KEY_ENV} or --db-key-file.`;
  return `${DONE[action]} ${path} (${result.records.toLocaleString('en-US')} records, ${size}) in ${took}. ${next}`;
}

/**
 * `mcp-gateway db encrypt|decrypt|rekey`. Holds the storage dir's gateway.lock for the whole conversion,
 * so no gateway starts on a store being rewritten and a `wrap` waits for it (storage/wrap-lock.ts);
 * refuses while a gateway or a wrap uses the store. Resolves with the exit code.
 */
export async function runDb(
  options: DbOptions,
  io: DbIo,
  env: NodeJS.ProcessEnv = process.env,
  keychain: Keychain = osKeychain,
): Promise<number> {
  const fail = (message: string, code: number) => {
    io.err(`mcp-gateway: ${message}`);
    return code;
  };
  let dir: string;
  let keys: KeyPlan;
  try {
    dir = resolveStorageDir(options.storageDir, env);
    checkState(options.action, storagePaths(dir).database);
    keys = planKeys(options, dir, env, keychain);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message, EXIT_USAGE);
    throw error;
  }
  const path = storagePaths(dir).database;
  const running = runningGateway(dir);
  if (running) {
    const where = running.url ? ` at ${running.url}` : '';
    const who = running.task ?? 'a gateway';
    return fail(
      `${who} (pid ${running.pid}${where}) is running on storage dir ${dir}: ${running.task ? 'wait until it has finished' : 'stop it'}, then run mcp-gateway db ${options.action} again`,
      EXIT_FAILED,
    );
  }
  let lock: ReturnType<typeof lockStorageDir>;
  try {
    lock = lockStorageDir(dir, () => {}, `mcp-gateway db ${options.action}`);
  } catch (error) {
    if (error instanceof GatewayLockedError) return fail(error.message, EXIT_FAILED);
    throw error;
  }
  let succeeded = false;
  try {
    // After taking the lock: a wrap that marked the dir before it is seen here; one that comes later waits.
    const wraps = runningWraps(dir);
    if (wraps.length > 0) {
      return fail(
        `mcp-gateway wrap (pid ${wraps.join(', ')}) is recording into ${path}: close the MCP client that runs it, then run mcp-gateway db ${options.action} again`,
        EXIT_FAILED,
      );
    }
    const secrets = readSecretsForCarry(options, dir, env, keychain, (line) => io.err(`warning: ${line}`));
    try {
      keys.prepare();
    } catch (error) {
      if (error instanceof ConfigError) return fail(error.message, EXIT_USAGE);
      throw error;
    }
    io.out(`${DOING[options.action]} ${path} ...`);
    // The audit log shares the store's key. It is small, so it goes first and is put back if logs.db
    // cannot be converted: either both files change key, or neither does.
    const audit = auditPath(dir);
    // A wrong key is logs.db's to report (the store the user means): tried on it before audit.db is touched.
    if (existsSync(audit)) openDatabase(path, { key: keys.from, readonly: true }).close();
    const entries = recryptAuditLog(audit, keys.from, keys.to);
    let result: Conversion;
    try {
      result = convertStore(path, keys.from, keys.to, () => keys.beforeRename());
    } catch (error) {
      if (entries !== null) recryptAuditLog(audit, keys.to, keys.from);
      throw error;
    }
    succeeded = true;
    recordCliAct(dir, keys.to, { action: `db.${options.action}`, target: 'logs.db', outcome: 'ok' }, (m) =>
      io.err(`warning: ${m}`),
    );
    io.out(summary(options.action, path, result, keys.to));
    if (entries !== null) {
      const counted = `${entries} ${entries === 1 ? 'entry' : 'entries'}`;
      io.out(
        keys.to
          ? `The audit log ${audit} (${counted}) is encrypted with the same key.`
          : `The audit log ${audit} (${counted}) is decrypted too.`,
      );
    }
    const carried = secrets.carry();
    if (carried) io.out(carried);
    return 0;
  } catch (error) {
    if (succeeded) throw error;
    if (error instanceof StoreKeyError) return fail(error.message, EXIT_USAGE);
    if (error instanceof StoreInUseError) return fail(error.message, EXIT_FAILED);
    return fail(
      `could not ${options.action} ${path}: ${(error as Error).message}; the store was left as it was`,
      EXIT_FAILED,
    );
  } finally {
    keys.finish(succeeded);
    lock.release();
  }
}
