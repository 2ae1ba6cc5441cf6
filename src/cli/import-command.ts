import { createInterface } from 'node:readline/promises';
import { ConfigError, resolveStorageDir } from '../config/options.js';
import { GatewayError } from '../core/errors.js';
import { maskArgs } from '../redaction/config-masking.js';
import { Registry } from '../registry/registry.js';
import {
  CLIENT_NAMES,
  CLIENTS,
  type ClientId,
  defaultPlaces,
  readClientConfig,
} from '../secrets/import/client-configs.js';
import { type ImportPlan, type PlannedServer, planImport } from '../secrets/import/import-plan.js';
import { SecretStore } from '../secrets/secret-store.js';
import { prepareStorageDir, storagePaths } from '../storage/storage-dir.js';
import type { CliCommand } from './args.js';
import { auditCliAct } from './audit-command.js';
import { strictParse } from './subcommand-args.js';

export const IMPORT_HELP = `Usage: mcp-gateway import <client> [--dry-run] [--yes] [--from FILE] [--storage-dir DIR]

Adds the MCP servers a client is configured with to the gateway's mcp.json. Literal secrets (secret
header and env values, credential-shaped args and URL parts) move into the gateway's secret store and
the entry refers to them as \${secret:NAME}. A preview is shown first; nothing changes until you confirm.

Clients and where their config is read (as each client documents it):
  claude-desktop   ~/Library/Application Support/Claude/claude_desktop_config.json (macOS),
                   ~/.config/Claude/claude_desktop_config.json (Linux), %APPDATA%\\Claude\\... (Windows)
  claude-code      ~/.claude.json (user and this project's servers) and ./.mcp.json
  cursor           ~/.cursor/mcp.json and ./.cursor/mcp.json
  vscode           ./.vscode/mcp.json ("servers"; "inputs" become secrets to set with mcp-gateway secret set)

Options:
  --from <file>          Read this file instead (in the client's format)
  --dry-run              Show the preview only
  --yes                  Apply without asking (needed when stdin is not a terminal)
  --storage-dir <dir>    The gateway's storage dir (env MCP_GATEWAY_STORAGE, default ~/.mcp-gateway)
  --db-key-file <file>   Key for the secret store (see mcp-gateway secret --help)`;

export interface ImportOptions {
  client: ClientId;
  from?: string;
  dryRun: boolean;
  yes: boolean;
  storageDir?: string;
  dbKeyFile?: string;
}

export function parseImport(argv: readonly string[]): CliCommand {
  const { values, positionals } = strictParse(
    argv,
    {
      from: { type: 'string' },
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      'storage-dir': { type: 'string' },
      'db-key-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    'import',
  );
  if (values.help) return { command: 'help', text: IMPORT_HELP };
  const [client, ...extra] = positionals;
  if (!CLIENTS.includes(client as ClientId) || extra.length > 0) {
    const given = client === undefined ? 'no client' : `"${positionals.join(' ')}"`;
    throw new ConfigError(
      `import needs one of ${CLIENTS.join(', ')} (got ${given}). See mcp-gateway import --help`,
    );
  }
  return {
    command: 'import',
    options: {
      client: client as ClientId,
      dryRun: values['dry-run'] === true,
      yes: values.yes === true,
      ...(values.from !== undefined ? { from: values.from as string } : {}),
      ...(values['storage-dir'] !== undefined ? { storageDir: values['storage-dir'] as string } : {}),
      ...(values['db-key-file'] !== undefined ? { dbKeyFile: values['db-key-file'] as string } : {}),
    },
  };
}

export interface ImportIo {
  out(line: string): void;
  err(line: string): void;
  stdin: NodeJS.ReadStream;
}

function describe(server: PlannedServer): string {
  const entry = server.entry;
  if (typeof entry.url === 'string') return `${String(entry.type ?? 'http')} ${entry.url}`;
  const args = Array.isArray(entry.args) ? maskArgs(entry.args as string[]) : [];
  return `stdio ${[String(entry.command), ...args].join(' ')}`;
}

function preview(plan: ImportPlan, stored: ReadonlySet<string>, out: (line: string) => void): void {
  for (const server of plan.add) {
    out(`  + ${server.name}  (${describe(server)})`);
    for (const secret of server.secrets) {
      const replaces = stored.has(secret.name) ? ', replacing the value stored under that name' : '';
      out(`      ${secret.where} looks secret: moves to the secret store as ${secret.name}${replaces}`);
    }
  }
  for (const skipped of plan.skipped) out(`  - ${skipped.name}: skipped, ${skipped.reason}`);
}

/** Yes only for "y" or "yes"; Enter, anything else, Ctrl-C and Ctrl-D (readline aborts the question) are no. */
async function confirm(stdin: NodeJS.ReadStream): Promise<boolean> {
  const rl = createInterface({ input: stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question('Apply these changes? [y/N] ')).trim());
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
    process.stderr.write('\n');
    return false;
  } finally {
    rl.close();
  }
}

/** Runs `import`; returns the exit code (1: nothing applied when it should have been). */
export async function runImport(options: ImportOptions, io: ImportIo): Promise<number> {
  const storageDir = resolveStorageDir(options.storageDir);
  const paths = storagePaths(storageDir);
  const config = readClientConfig(options.client, options.from, defaultPlaces());
  const registry = new Registry(paths.registry, io.err);
  if (registry.error) {
    io.err(`${registry.error}\nFix mcp.json first; nothing was imported.`);
    return 1;
  }
  const plan = planImport(config, new Set(registry.names()));
  const store = new SecretStore({ storageDir, keyFile: options.dbKeyFile });
  const client = CLIENT_NAMES[options.client];
  io.out(`${client} config: ${config.files.join(', ')}`);
  if (config.servers.length === 0) {
    io.out(`No MCP servers found there; nothing to import.`);
    return 0;
  }
  io.out(`Into ${paths.registry}:`);
  preview(plan, new Set(store.names()), io.out);
  for (const input of plan.toSet) {
    io.out(
      `  ! ${client} asks for "${input.description ?? input.name}" when it starts: set it with mcp-gateway secret set ${input.name}`,
    );
  }
  if (plan.add.length === 0) {
    io.out('Nothing to add.');
    return 0;
  }
  if (options.dryRun) {
    io.out('Dry run: nothing was changed.');
    return 0;
  }
  if (!options.yes) {
    if (!io.stdin.isTTY) {
      io.err('Nothing was changed: run again with --yes to apply (stdin is not a terminal to ask on).');
      return 1;
    }
    if (!(await confirm(io.stdin))) {
      io.out('Nothing was changed.');
      return 1;
    }
  }
  prepareStorageDir(storageDir, (message) => io.err(`warning: ${message}`));
  // Secrets first: an entry that refers to a secret is never written before the secret exists.
  for (const server of plan.add) for (const secret of server.secrets) store.set(secret.name, secret.value);
  for (const server of plan.add) {
    try {
      registry.add(server.name, server.entry);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      io.err(`${server.name}: ${error.message}`);
      return 1;
    }
  }
  for (const server of plan.add) {
    const secrets = server.secrets.map((secret) => secret.name);
    const detail = `imported from ${client}${secrets.length ? `; secrets moved: ${secrets.join(', ')}` : ''}`;
    auditCliAct(
      storageDir,
      options.dbKeyFile,
      { action: 'server.add', target: server.name, outcome: 'ok', detail },
      io.err,
    );
  }
  const moved = plan.add.reduce((n, s) => n + s.secrets.length, 0);
  io.out(
    `Imported ${plan.add.length} server${plan.add.length === 1 ? '' : 's'}; ${moved} secret${moved === 1 ? '' : 's'} moved to ${store.path}. A running gateway picks them up at once.`,
  );
  return 0;
}
