import { type AuditTrail, NO_AUDIT } from '../audit/audit-trail.js';
import { DurationError, parseDuration } from '../auth/duration.js';
import { OWNER } from '../auth/identity.js';
import { isRole, type Role } from '../auth/roles.js';
import { TokenStore, tokenNameProblem, tokenServersProblem } from '../auth/token-store.js';
import { ConfigError, resolveStorageDir } from '../config/options.js';
import { prepareStorageDir } from '../storage/storage-dir.js';
import type { CliCommand } from './args.js';
import { strictParse } from './subcommand-args.js';
import { describeScope, printValue } from './token-output.js';
import { formatTokenTable } from './token-table.js';

export const TOKEN_HELP = `Usage: mcp-gateway token create --name NAME --role viewer|operator|admin [--servers a,b] [--expires 30d]
       mcp-gateway token list [--json]
       mcp-gateway token revoke NAME
       mcp-gateway token rotate NAME [--expires 30d]

Named tokens for the people and agents that share this gateway, each with a role and, if given, a set of
servers and an expiry. Stored in <storage-dir>/tokens.json as SHA-256 digests only: a token's value is
printed once, when it is created or rotated, and cannot be shown again. A gateway running on the storage
dir takes every change at its next request, no restart needed (docs/tokens-and-roles.md).

  create         A new token. Roles: viewer reads traffic, sessions, stats and servers; operator also
                 changes servers and clears records; admin also manages tokens and reads the audit log
  list           Name, role, servers, created, expires and last use of every token (never a value)
  revoke NAME    The token stops working at once, and so do the web UI sessions it opened
  rotate NAME    A new value for the token, printed once; the old value stops working at once

Options:
  --name <name>          The token's name: letters, digits, "_", "-", "." (create)
  --role <role>          viewer, operator or admin (create)
  --servers <list>       Limit the token to these servers, comma-separated (create; default: all)
  --expires <duration>   Stop working after this long: 90m, 12h, 30d, 8w (create, rotate; default: never)
  --json                 Print JSON instead of text (create, list, rotate)
  --storage-dir <dir>    The gateway's storage dir (env MCP_GATEWAY_STORAGE, default ~/.mcp-gateway)`;

export type TokenOptions =
  | {
      action: 'create';
      name: string;
      role: Role;
      servers: string[] | null;
      expiresInMs: number | null;
      json: boolean;
      storageDir?: string;
    }
  | { action: 'list'; json: boolean; storageDir?: string }
  | { action: 'revoke'; name: string; storageDir?: string }
  | { action: 'rotate'; name: string; expiresInMs: number | null; json: boolean; storageDir?: string };

function usage(message: string): ConfigError {
  return new ConfigError(`${message}. See mcp-gateway token --help`);
}

function duration(value: string | undefined): number | null {
  if (value === undefined) return null;
  try {
    return parseDuration(value);
  } catch (error) {
    if (error instanceof DurationError) throw usage(`--expires: ${error.message}`);
    throw error;
  }
}

function checkedName(name: string): string {
  const problem = tokenNameProblem(name);
  if (problem) throw usage(problem);
  return name;
}

export function parseToken(argv: readonly string[]): CliCommand {
  const { values, positionals } = strictParse(
    argv,
    {
      name: { type: 'string' },
      role: { type: 'string' },
      servers: { type: 'string' },
      expires: { type: 'string' },
      json: { type: 'boolean' },
      'storage-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    'token',
  );
  if (values.help) return { command: 'help', text: TOKEN_HELP };
  const [action, ...rest] = positionals;
  const storage = values['storage-dir'] !== undefined ? { storageDir: values['storage-dir'] as string } : {};
  const json = values.json === true;
  const onlyFor = (flag: string, actions: string) => {
    if (values[flag] !== undefined) throw usage(`--${flag} is for token ${actions}, not token ${action}`);
  };
  switch (action) {
    case 'create': {
      if (rest.length > 0) throw usage(`token create takes the name as --name, e.g. --name ${rest[0]}`);
      const name = values.name as string | undefined;
      if (name === undefined) throw usage('token create needs --name, e.g. --name ci-bot');
      const role = values.role as string | undefined;
      if (role === undefined) throw usage('token create needs --role viewer, operator or admin');
      if (!isRole(role)) throw usage(`"${role}" is not a role: use viewer, operator or admin`);
      const servers = ((values.servers as string | undefined) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (values.servers !== undefined && servers.length === 0) {
        throw usage('--servers needs server names, comma-separated (leave it out for all servers)');
      }
      const problem = tokenServersProblem(servers);
      if (problem) throw usage(`--servers: ${problem}`);
      return {
        command: 'token',
        options: {
          action,
          name: checkedName(name),
          role,
          servers: servers.length > 0 ? servers : null,
          expiresInMs: duration(values.expires as string | undefined),
          json,
          ...storage,
        },
      };
    }
    case 'list':
      for (const flag of ['name', 'role', 'servers', 'expires']) onlyFor(flag, 'create');
      if (rest.length > 0) throw usage(`token list takes no name (got "${rest[0]}")`);
      return { command: 'token', options: { action, json, ...storage } };
    case 'revoke':
    case 'rotate': {
      for (const flag of ['name', 'role', 'servers']) onlyFor(flag, 'create');
      if (action === 'revoke') {
        onlyFor('expires', 'create and rotate');
        onlyFor('json', 'create, list and rotate');
      }
      const [name, ...extra] = rest;
      if (name === undefined)
        throw usage(`token ${action} needs the token's NAME, e.g. mcp-gateway token ${action} ci-bot`);
      if (extra.length > 0) throw usage(`token ${action} takes one NAME (got "${extra.join(' ')}" too)`);
      if (action === 'revoke') return { command: 'token', options: { action, name, ...storage } };
      const expiresInMs = duration(values.expires as string | undefined);
      return { command: 'token', options: { action, name, expiresInMs, json, ...storage } };
    }
    default: {
      const given = action === undefined ? 'no action' : `"${action}"`;
      throw usage(`token needs create, list, revoke or rotate (got ${given})`);
    }
  }
}

export interface TokenIo {
  out(line: string): void;
  err(line: string): void;
  /** Where token changes are recorded; the CLI acts as the owner, from this machine. */
  audit?: AuditTrail;
}

/** Runs `token create|list|revoke|rotate`; returns the exit code (1: no such token, a taken name, the file). */
export function runToken(options: TokenOptions, io: TokenIo): number {
  const storageDir = resolveStorageDir(options.storageDir);
  const store = new TokenStore(storageDir);
  const audit = io.audit ?? NO_AUDIT;
  const record = (action: string, target: string, detail: string) =>
    audit.record({ actor: OWNER, source: 'cli', action, target, outcome: 'ok', detail });
  switch (options.action) {
    case 'list': {
      const tokens = store.list();
      if (options.json) {
        io.out(JSON.stringify({ tokens }, null, 2));
      } else if (tokens.length === 0) {
        io.err(
          `no tokens in ${store.path}; create one with: mcp-gateway token create --name NAME --role viewer`,
        );
      } else {
        for (const line of formatTokenTable(tokens)) io.out(line);
      }
      return 0;
    }
    case 'revoke': {
      const revoked = store.revoke(options.name);
      if (!revoked) {
        io.err(noSuchToken(store, options.name));
        return 1;
      }
      record('token.revoke', options.name, describeScope(revoked));
      io.out(
        `token ${options.name} revoked: it no longer works, and the web UI sessions it opened have ended`,
      );
      return 0;
    }
    case 'rotate': {
      const rotated = store.rotate(options.name, { expiresInMs: options.expiresInMs });
      if (!rotated) {
        io.err(noSuchToken(store, options.name));
        return 1;
      }
      record('token.rotate', options.name, describeScope(rotated.token));
      if (options.json) io.out(JSON.stringify(rotated, null, 2));
      else printValue(io, storageDir, 'rotated; the old value no longer works', rotated.token, rotated.value);
      return 0;
    }
    default: {
      prepareStorageDir(storageDir, (message) => io.err(`warning: ${message}`));
      const created = store.create(options);
      record('token.create', options.name, describeScope(created.token));
      if (options.json) io.out(JSON.stringify(created, null, 2));
      else printValue(io, storageDir, 'created', created.token, created.value);
      return 0;
    }
  }
}

function noSuchToken(store: TokenStore, name: string): string {
  const names = store.list().map((token) => token.name);
  return `no token named ${name} in ${store.path}; there are: ${names.length > 0 ? names.join(', ') : '(none)'}`;
}
