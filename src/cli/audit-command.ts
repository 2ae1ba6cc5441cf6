import { existsSync } from 'node:fs';
import { entryToJson } from '../audit/audit-entry.js';
import { AuditStore, auditPath } from '../audit/audit-store.js';
import { recordCliAct } from '../audit/cli-record.js';
import { verifyChain } from '../audit/verify-chain.js';
import { ConfigError, resolveStorageDir, resolveStoreKey } from '../config/options.js';
import { StoreKeyError } from '../store/cipher.js';
import { strictParse } from './subcommand-args.js';

export const AUDIT_HELP = `Usage: mcp-gateway audit verify [--storage-dir DIR] [--db-key-file FILE]
       mcp-gateway audit list   [--storage-dir DIR] [--db-key-file FILE] [--limit N] [--json]

The storage dir's audit log (audit.db): who changed servers, tokens, records and secrets, signed in or out,
from where, and how it ended. Every entry carries the hash of the one before it.

  verify                 Walks the hash chain: exit 0 when it is intact, 1 naming each entry that was
                         changed or is missing
  list                   The newest entries (--limit, default 50), oldest of them first; --json for JSON Lines

Options:
  --storage-dir <dir>    The storage dir (env MCP_GATEWAY_STORAGE, default ~/.mcp-gateway)
  --db-key-file <file>   The store's key when it is encrypted (or env MCP_GATEWAY_DB_KEY)

Docs: docs/audit.md`;

export interface AuditOptions {
  action: 'verify' | 'list';
  storageDir?: string;
  dbKeyFile?: string;
  limit: number;
  json: boolean;
}

export function parseAudit(
  argv: readonly string[],
): { command: 'audit'; options: AuditOptions } | { command: 'help'; text: string } {
  const { values, positionals } = strictParse(
    argv,
    {
      'storage-dir': { type: 'string' },
      'db-key-file': { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    'audit',
  );
  if (values.help || positionals.length === 0) return { command: 'help', text: AUDIT_HELP };
  const [action, extra] = positionals;
  if (action !== 'verify' && action !== 'list') {
    throw new ConfigError(
      `unknown audit command "${action}": use verify or list. See mcp-gateway audit --help`,
    );
  }
  if (extra !== undefined)
    throw new ConfigError(`unexpected argument "${extra}". See mcp-gateway audit --help`);
  const rawLimit = values.limit as string | undefined;
  const limit = rawLimit === undefined ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    throw new ConfigError(`--limit must be a whole number from 1 to 100000; got "${rawLimit}"`);
  }
  const string = (name: string) => values[name] as string | undefined;
  return {
    command: 'audit',
    options: {
      action,
      limit,
      json: values.json === true,
      ...(string('storage-dir') !== undefined ? { storageDir: string('storage-dir') } : {}),
      ...(string('db-key-file') !== undefined ? { dbKeyFile: string('db-key-file') } : {}),
    },
  };
}

export interface AuditIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `mcp-gateway audit verify|list`; resolves with the exit code (0 intact, 1 tampered or unreadable, 2 usage). */
export async function runAudit(
  options: AuditOptions,
  io: AuditIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const dir = resolveStorageDir(options.storageDir, env);
  const key = resolveStoreKey(options.dbKeyFile, env, undefined, { storageDir: dir });
  const path = auditPath(dir);
  if (!existsSync(path)) {
    io.err(
      `mcp-gateway: no audit log at ${path}: a gateway keeps one once it has run on this storage dir. Pass --storage-dir if it runs with another.`,
    );
    return 1;
  }
  let store: AuditStore;
  try {
    // Read-only: verifying never changes the file, not even its WAL.
    store = AuditStore.open(path, { key, readonly: true });
  } catch (error) {
    io.err(`mcp-gateway: ${(error as Error).message}`);
    return error instanceof StoreKeyError ? 2 : 1;
  }
  try {
    if (options.action === 'list') {
      const { entries } = store.query({ limit: options.limit, order: 'desc' });
      for (const entry of entries.reverse()) {
        if (options.json) {
          io.out(JSON.stringify(entryToJson(entry)));
          continue;
        }
        const actor = entry.actor ? `${entry.actor} (${entry.actorRole})` : '-';
        const detail = entry.detail ? `  ${entry.detail}` : '';
        io.out(
          `${entry.seq}  ${iso(entry.time)}  ${actor}  ${entry.source}  ${entry.action}  ${entry.target ?? '-'}  ${entry.outcome}${detail}`,
        );
      }
      return 0;
    }
    const report = verifyChain(store.all());
    if (report.problems.length > 0) {
      for (const problem of report.problems) io.err(`audit log tampered: ${problem}`);
      io.err(
        `mcp-gateway: ${path} fails verification (${report.count} entries read). Keep a copy of the file as it is for investigation.`,
      );
      return 1;
    }
    if (!report.first || !report.last) {
      io.out(`audit log intact: 0 entries (${path})`);
      return 0;
    }
    io.out(
      `audit log intact: ${report.count} entries, first ${report.first.seq} at ${iso(report.first.time)}, last ${report.last.seq} at ${iso(report.last.time)} (hash ${report.last.hash})`,
    );
    return 0;
  } finally {
    store.close();
  }
}

/**
 * Records a change a subcommand made on this machine, with the key the user gave it (or the environment's);
 * a key that cannot be read only costs the audit line, with a warning.
 */
export function auditCliAct(
  storageDir: string,
  dbKeyFile: string | undefined,
  act: Parameters<typeof recordCliAct>[2],
  warn: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): void {
  let key: ReturnType<typeof resolveStoreKey>;
  try {
    key = resolveStoreKey(dbKeyFile, env, undefined, { storageDir });
  } catch (error) {
    warn(`warning: could not record ${act.action} in the audit log: ${(error as Error).message}`);
    return;
  }
  recordCliAct(storageDir, key, act, (message) => warn(`warning: ${message}`));
}
