import { parseArgs } from 'node:util';
import { ConfigError } from '../config/options.js';
import { serverNameProblem } from '../core/server-name.js';
import type { CliCommand } from './args.js';
import { nearestOption } from './suggest-option.js';

export const WRAP_HELP = `Usage: mcp-gateway wrap [--name NAME] [--storage-dir DIR] [--db-key-file FILE] -- <command> [args...]

Runs a stdio MCP server for a client that launches servers itself (Claude Desktop, Claude Code, Cursor,
VS Code): put "mcp-gateway wrap --" in front of the server's command in the client's config. stdin and
stdout are relayed byte for byte; every message and stderr line is recorded into logs.db, whether or not a
gateway is running on that storage dir. Nothing but the server's output is written to stdout.

Options:
  --name <name>          Server name for the records (default: from the command, e.g. server-memory)
  --storage-dir <dir>    Where logs.db lives (env MCP_GATEWAY_STORAGE, default ~/.mcp-gateway)
  --db-key-file <file>   The passphrase of an encrypted logs.db, in a mode 600 file (or env MCP_GATEWAY_DB_KEY;
                         else the OS keychain's key: docs/encryption.md)

Example:
  mcp-gateway wrap -- npx -y @modelcontextprotocol/server-memory`;

export const CONNECT_HELP = `Usage: mcp-gateway connect <name> [--port N | --url URL] [--host HOST] [--storage-dir DIR]

A stdio MCP server that forwards every message to http://localhost:<port>/s/<name>/mcp of a running
gateway, which captures it: a client that only launches commands reaches any registered server, remote
HTTP servers included.

Options:
  --port <n>             The gateway's port (env MCP_GATEWAY_PORT, default 3333)
  --host <host>          The gateway's host (default localhost)
  --url <url>            The gateway's address instead, e.g. http://127.0.0.1:3333 (or a full .../mcp URL);
                         https://... for a gateway with TLS (a self-signed one: set NODE_EXTRA_CA_CERTS)
  --storage-dir <dir>    Check that <name> is registered in this storage dir's mcp.json before starting

Environment:
  MCP_GATEWAY_TOKEN      Sent as X-MCP-Gateway-Token, for a gateway started with --proxy-auth

Example:
  mcp-gateway connect everything --port 3333`;

function usage(message: string, command: string): ConfigError {
  return new ConfigError(`${message}. See mcp-gateway ${command} --help`);
}

function checkName(name: string, command: string): void {
  const problem = serverNameProblem(name);
  if (problem) throw usage(problem, command);
}

/**
 * `wrap` options stop at "--" or at the first word that is not one of them: everything after is the
 * server's command line, passed on untouched (its own options included).
 */
export function parseWrap(argv: readonly string[]): CliCommand {
  let name: string | undefined;
  let storageDir: string | undefined;
  let dbKeyFile: string | undefined;
  let rest: readonly string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      rest = argv.slice(i + 1);
      break;
    }
    if (arg === '-h' || arg === '--help') return { command: 'help', text: WRAP_HELP };
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (flag === '--name' || flag === '--storage-dir' || flag === '--db-key-file') {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw usage(`${flag} needs a value`, 'wrap');
      if (flag === '--name') name = value;
      else if (flag === '--storage-dir') storageDir = value;
      else dbKeyFile = value;
      continue;
    }
    if (arg.startsWith('-')) {
      const near = nearestOption(arg, ['name', 'storage-dir', 'db-key-file', 'help']);
      const hint = near ? `did you mean ${near}? Or ` : '';
      throw usage(`unknown option "${arg}" (${hint}put the server's command after "--")`, 'wrap');
    }
    rest = argv.slice(i);
    break;
  }
  const [command, ...args] = rest;
  if (!command) {
    throw usage(
      'wrap needs the server command, e.g. mcp-gateway wrap -- npx -y @modelcontextprotocol/server-memory',
      'wrap',
    );
  }
  if (name !== undefined) checkName(name, 'wrap');
  return {
    command: 'wrap',
    options: { name, storageDir, ...(dbKeyFile !== undefined ? { dbKeyFile } : {}), command, args },
  };
}

type OptionSpec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

interface Parsed {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * parseArgs reads "--retention-days -1" as two options; a value that looks like a negative number is
 * joined to its option instead ("--retention-days=-1"), so the option's own check can say what is wrong.
 */
function joinNegativeValues(argv: readonly string[], options: OptionSpec): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg === '--') {
      joined.push(...argv.slice(i));
      break;
    }
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    if (name && options?.[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** node:util parseArgs' messages, turned into one line that says what to type instead. */
function usageMessage(error: Error & { code?: string }, options: OptionSpec): string {
  const inQuotes = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  const quoted = /--[\w-]+/.exec(inQuotes)?.[0] ?? /-\w/.exec(inQuotes)?.[0] ?? inQuotes;
  const names = Object.keys(options ?? {});
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const near = nearestOption(quoted, names);
    return `unknown option "${quoted}"${near ? `; did you mean ${near}?` : ''}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = quoted.replace(/^-+/, '');
    if (options?.[name]?.type === 'boolean' || /does not take an argument/.test(error.message)) {
      return `${quoted} takes no value`;
    }
    return `${quoted} needs a value`;
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument "${quoted}"`;
  return (error.message.split('\n')[0] ?? 'invalid arguments').replace(/\.$/, '');
}

/** node:util parseArgs, strict, with positionals; a mistake becomes a one-line usage error. */
export function strictParse(argv: readonly string[], options: OptionSpec, command = ''): Parsed {
  try {
    return parseArgs({
      args: joinNegativeValues(argv, options),
      allowPositionals: true,
      strict: true,
      options,
    }) as Parsed;
  } catch (error) {
    const message = usageMessage(error as Error & { code?: string }, options);
    const stop = message.endsWith('?') ? '' : '.';
    throw new ConfigError(`${message}${stop} See mcp-gateway${command ? ` ${command}` : ''} --help`);
  }
}

export function parseConnect(argv: readonly string[]): CliCommand {
  const parsed = strictParse(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      url: { type: 'string' },
      'storage-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    'connect',
  );
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help', text: CONNECT_HELP };
  if (positionals.length !== 1) {
    throw usage('connect needs exactly one server name, e.g. mcp-gateway connect everything', 'connect');
  }
  const name = positionals[0] as string;
  checkName(name, 'connect');
  if (values.url !== undefined && (values.port !== undefined || values.host !== undefined)) {
    throw usage('give either --url or --host/--port, not both', 'connect');
  }
  return {
    command: 'connect',
    options: {
      name,
      url: values.url as string | undefined,
      port: values.port as string | undefined,
      host: values.host as string | undefined,
      storageDir: values['storage-dir'] as string | undefined,
    },
  };
}
