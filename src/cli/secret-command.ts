import { ConfigError, resolveStorageDir } from '../config/options.js';
import { SecretStore, secretNameProblem } from '../secrets/secret-store.js';
import { prepareStorageDir } from '../storage/storage-dir.js';
import type { CliCommand } from './args.js';
import { auditCliAct } from './audit-command.js';
import { readSecretValue } from './secret-input.js';
import { strictParse } from './subcommand-args.js';

export const SECRET_HELP = `Usage: mcp-gateway secret set <NAME> [--storage-dir DIR] [--db-key-file FILE]
       mcp-gateway secret list [--storage-dir DIR]
       mcp-gateway secret rm <NAME> [--storage-dir DIR]

The gateway's secret store, <storage-dir>/secrets.json: values encrypted with AES-256-GCM. Refer to a
secret from mcp.json as \${secret:NAME}, e.g. "headers": {"Authorization": "Bearer \${secret:GITHUB_TOKEN}"}.
A running gateway on the same storage dir uses a new value from its next request on.

  set <NAME>     Store a value: read from stdin when piped (echo "$TOKEN" | mcp-gateway secret set NAME),
                 else asked for without echo. Never given as an argument (it would land in shell history).
  list           The names of the stored secrets (never their values)
  rm <NAME>      Remove a secret; servers that refer to it become misconfigured until it is set again

Options:
  --storage-dir <dir>    The gateway's storage dir (env MCP_GATEWAY_STORAGE, default ~/.mcp-gateway)
  --db-key-file <file>   Encrypt with the key in this file (mode 600) instead of <storage-dir>/secrets.key
                         (env MCP_GATEWAY_DB_KEY: a passphrase; see docs/secrets.md)`;

export interface SecretOptions {
  action: 'set' | 'list' | 'rm';
  name?: string;
  storageDir?: string;
  dbKeyFile?: string;
}

export function parseSecret(argv: readonly string[]): CliCommand {
  const { values, positionals } = strictParse(
    argv,
    {
      'storage-dir': { type: 'string' },
      'db-key-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    'secret',
  );
  if (values.help) return { command: 'help', text: SECRET_HELP };
  const [action, name, ...extra] = positionals;
  if (action !== 'set' && action !== 'list' && action !== 'rm') {
    const given = action === undefined ? 'no action' : `"${action}"`;
    throw new ConfigError(`secret needs set, list or rm (got ${given}). See mcp-gateway secret --help`);
  }
  if (action === 'list' && name !== undefined) {
    throw new ConfigError('secret list takes no name. See mcp-gateway secret --help');
  }
  if (action !== 'list') {
    if (name === undefined) {
      throw new ConfigError(`secret ${action} needs a NAME, e.g. mcp-gateway secret ${action} GITHUB_TOKEN`);
    }
    if (extra.length > 0) {
      throw new ConfigError(
        `secret ${action} takes one NAME; a value is never given as an argument: pipe it on stdin (echo "$VALUE" | mcp-gateway secret set ${name}) or type it at the prompt`,
      );
    }
    const problem = secretNameProblem(name);
    if (problem) throw new ConfigError(problem);
  }
  return {
    command: 'secret',
    options: {
      action,
      ...(name !== undefined ? { name } : {}),
      ...(values['storage-dir'] !== undefined ? { storageDir: values['storage-dir'] as string } : {}),
      ...(values['db-key-file'] !== undefined ? { dbKeyFile: values['db-key-file'] as string } : {}),
    },
  };
}

export interface SecretIo {
  out(line: string): void;
  err(line: string): void;
  stdin: NodeJS.ReadStream;
}

/** Runs `secret set|list|rm`; returns the exit code (1: nothing to remove or no value, 2: bad input). */
export async function runSecret(options: SecretOptions, io: SecretIo): Promise<number> {
  const storageDir = resolveStorageDir(options.storageDir);
  const store = new SecretStore({ storageDir, keyFile: options.dbKeyFile });
  const name = options.name as string;
  switch (options.action) {
    case 'list': {
      const names = store.names();
      if (names.length === 0)
        io.err(`no secrets in ${store.path}; add one with: mcp-gateway secret set NAME`);
      for (const each of names) io.out(each);
      return 0;
    }
    case 'rm': {
      if (!store.remove(name)) {
        const names = store.names();
        io.err(
          `no secret named ${name} in ${store.path}; stored: ${names.length > 0 ? names.join(', ') : '(none)'}`,
        );
        return 1;
      }
      auditCliAct(
        storageDir,
        options.dbKeyFile,
        { action: 'secret.remove', target: name, outcome: 'ok' },
        io.err,
      );
      io.out(`secret ${name} removed from ${store.path}`);
      return 0;
    }
    default: {
      const value = await readSecretValue(io.stdin, `Value for ${name} (not shown): `, io.err);
      if (value === null) {
        io.err(`no value given for ${name}; nothing was stored`);
        return 1;
      }
      prepareStorageDir(storageDir, (message) => io.err(`warning: ${message}`));
      store.set(name, value);
      auditCliAct(
        storageDir,
        options.dbKeyFile,
        { action: 'secret.set', target: name, outcome: 'ok' },
        io.err,
      );
      io.out(`secret ${name} stored in ${store.path}; refer to it in mcp.json as \${secret:${name}}`);
      return 0;
    }
  }
}
