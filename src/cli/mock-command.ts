import { existsSync, statSync, writeFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { ConfigError, parsePort, resolveStorageDir, resolveStoreKey } from '../config/options.js';
import { FilterError } from '../filter/errors.js';
import { buildFixture, type Selection } from '../mock/collect.js';
import { type Fixture, FixtureError, readFixtureFile } from '../mock/fixture.js';
import { serveHttp } from '../mock/http-serve.js';
import { DEFAULT_MATCH, type MatchMode, parseMatchMode, Recordings } from '../mock/matcher.js';
import { MockSession } from '../mock/mock-session.js';
import { serveStdio } from '../mock/stdio-serve.js';
import { openStoreReads } from '../mock/store-source.js';
import { storagePaths } from '../storage/storage-dir.js';
import { StoreKeyError } from '../store/cipher.js';
import type { CliCommand } from './args.js';
import { strictParse } from './subcommand-args.js';

export const MOCK_HELP = `Usage: mcp-gateway mock --from <session id | filter | fixture.json> [--stdio | --port N] [options]
       mcp-gateway mock export --from <session id | filter> --out <fixture.json> [options]

Serves recorded traffic as an MCP server, so a client's tests run without the real server: the
handshake gets the recorded initialize (or server/discover) answer, each request the recorded answer
whose method and params match, exactly as the server sent it. Identical requests recorded with
different answers get them in order (then the last one repeats); a request with no recording gets a
JSON-RPC error naming the closest recordings. "export" writes the recordings to a fixture file instead.

--from is a fixture file (from mock export), a session id (GET /api/sessions lists them), or a filter
in the gateway's filter language (e.g. "server:everything method:tools/call"). logs.db is read
read-only: it works whether or not a gateway runs on the storage dir.

Options:
  --stdio                Serve on stdin/stdout, one JSON-RPC message per line (logs go to stderr)
  --port <n>             Serve Streamable HTTP at http://127.0.0.1:<n>/mcp (default 0: a free port)
  --host <addr>          Address to bind (default 127.0.0.1)
  --match <mode>         How requests find their recording: params without _meta and cursor (default),
                         exact (params whole), method (method only), or ignore:<json pointer>,...
                         to ignore more of params, e.g. ignore:/arguments/timestamp
  --server <name>        The server to mock when the selection holds several
  --out <file>           export: where to write the fixture
  --storage-dir <dir>    Where logs.db lives (env MCP_GATEWAY_STORAGE, default ~/.mcp-gateway)
  --db-key-file <file>   The key of an encrypted logs.db (or env MCP_GATEWAY_DB_KEY; else the OS keychain's)

Docs: docs/debugging.md ("Mocks from captures")`;

export interface MockOptions {
  action: 'serve' | 'export';
  from: string;
  stdio: boolean;
  port: number;
  host: string;
  match: MatchMode;
  server?: string;
  out?: string;
  storageDir?: string;
  dbKeyFile?: string;
}

const usage = (message: string) => new ConfigError(`${message}. See mcp-gateway mock --help`);

export function parseMock(argv: readonly string[]): CliCommand {
  const { values, positionals } = strictParse(
    argv,
    {
      from: { type: 'string' },
      stdio: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      match: { type: 'string' },
      server: { type: 'string' },
      out: { type: 'string' },
      'storage-dir': { type: 'string' },
      'db-key-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    'mock',
  );
  if (values.help) return { command: 'help', text: MOCK_HELP };
  const [action, extra] = positionals;
  if ((action !== undefined && action !== 'export') || extra !== undefined) {
    throw usage(`unexpected argument "${extra ?? action}" (the only subcommand is export)`);
  }
  const string = (name: string) => values[name] as string | undefined;
  const from = string('from');
  if (from === undefined || from.trim() === '')
    throw usage('mock needs --from <session id | filter | fixture file>');
  const exporting = action === 'export';
  if (exporting && string('out') === undefined) throw usage('mock export needs --out <file>');
  if (!exporting && string('out') !== undefined) throw usage('--out is for mock export');
  if (values.stdio === true && (string('port') !== undefined || string('host') !== undefined)) {
    throw usage('--stdio serves on stdin/stdout: leave out --port and --host');
  }
  let match = DEFAULT_MATCH;
  try {
    if (string('match') !== undefined) match = parseMatchMode(string('match') as string);
  } catch (error) {
    throw usage((error as Error).message);
  }
  return {
    command: 'mock',
    options: {
      action: exporting ? 'export' : 'serve',
      from,
      stdio: values.stdio === true,
      port: string('port') === undefined ? 0 : parsePort(string('port') as string),
      host: string('host') ?? '127.0.0.1',
      match,
      ...(string('server') !== undefined ? { server: string('server') } : {}),
      ...(string('out') !== undefined ? { out: string('out') } : {}),
      ...(string('storage-dir') !== undefined ? { storageDir: string('storage-dir') } : {}),
      ...(string('db-key-file') !== undefined ? { dbKeyFile: string('db-key-file') } : {}),
    },
  };
}

export interface MockIo {
  out: (line: string) => void;
  err: (line: string) => void;
  stdin: Readable;
  stdout: Writable;
  /** Resolves when the HTTP mock should stop (Ctrl-C). */
  stopped: () => Promise<void>;
}

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** The fixture `--from` names: a fixture file, else a session in logs.db, else a filter over it. */
export async function loadFixture(
  options: MockOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ fixture: Fixture; skipped: number }> {
  if (isFile(options.from) || /\.json$/i.test(options.from)) {
    if (!isFile(options.from)) throw new FixtureError(`no fixture file ${options.from}: check the path`);
    return { fixture: readFixtureFile(options.from), skipped: 0 };
  }
  const dir = resolveStorageDir(options.storageDir, env);
  const key = resolveStoreKey(options.dbKeyFile, env, undefined, { storageDir: dir });
  const path = storagePaths(dir).database;
  const store = openStoreReads(path, key);
  try {
    const server = options.server === undefined ? {} : { server: options.server };
    const asSession: Selection = { sessionId: options.from, ...server };
    const built =
      (await buildFixture(store.reads, asSession)) ??
      (await buildFixture(store.reads, { filter: options.from, ...server }));
    if (!built) {
      throw new FixtureError(
        `no session "${options.from}" in ${path}, and as a filter it selects no records: give a session id (GET /api/sessions or the web UI's Sessions list them), a filter such as "server:<name>", or a fixture file`,
      );
    }
    return built;
  } catch (error) {
    if (error instanceof FilterError) {
      throw new FixtureError(
        `no session "${options.from}" in ${path}, and it is no filter either: ${error.message}`,
      );
    }
    throw error;
  } finally {
    store.close();
  }
}

function describe(fixture: Fixture): string {
  const info = fixture.server.serverInfo;
  const who = info?.name ? `${info.name}${info.version ? ` ${info.version}` : ''}` : fixture.server.name;
  const opening = fixture.handshake
    ? `, opening with ${fixture.handshake.method}`
    : ', no handshake recorded';
  return `"${fixture.server.name}" (${who}): ${fixture.exchanges.length} recorded answers${opening}`;
}

/** `mcp-gateway mock [export]`; resolves with the exit code once the mock stops (or the fixture is written). */
export async function runMock(
  options: MockOptions,
  io: MockIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const fail = (message: string, code: number) => {
    io.err(`mcp-gateway mock: ${message}`);
    return code;
  };
  let fixture: Fixture;
  try {
    const loaded = await loadFixture(options, env);
    fixture = loaded.fixture;
    if (loaded.skipped > 0) {
      io.err(
        `warning: ${loaded.skipped} recorded exchange(s) were cut short at capture (larger than its message limit) and are left out; the mock has no answer for them`,
      );
    }
  } catch (error) {
    if (error instanceof FixtureError || error instanceof ConfigError || error instanceof StoreKeyError) {
      return fail(error.message, EXIT_USAGE);
    }
    return fail(`cannot read the recordings: ${(error as Error).message}`, EXIT_FAILED);
  }
  if (options.action === 'export') {
    const out = options.out as string;
    try {
      // The fixture holds captured payloads: readable by the owner only, like logs.db.
      writeFileSync(out, `${JSON.stringify(fixture, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      return fail(`cannot write ${out}: ${(error as Error).message}`, EXIT_FAILED);
    }
    io.out(`Wrote ${out}: ${describe(fixture)}. Serve it with mcp-gateway mock --from ${out}`);
    return 0;
  }
  const recordings = new Recordings(fixture.exchanges, options.match);
  const log = (line: string) => io.err(`mock: ${line}`);
  if (options.stdio) {
    io.err(`mcp-gateway mock: serving ${describe(fixture)} on stdio`);
    await serveStdio(new MockSession(fixture, recordings, log), io.stdin, io.stdout);
    return 0;
  }
  let running: Awaited<ReturnType<typeof serveHttp>>;
  try {
    running = await serveHttp(fixture, recordings, { host: options.host, port: options.port }, log);
  } catch (error) {
    return fail(`cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`, EXIT_FAILED);
  }
  io.out(`Mock MCP server for ${describe(fixture)}`);
  io.out(`Listening on ${running.url} (Streamable HTTP); Ctrl-C stops it`);
  await io.stopped();
  await running.close();
  return 0;
}
