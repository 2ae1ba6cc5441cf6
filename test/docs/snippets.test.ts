import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposureWarning } from '../../src/app/exposure.js';
import { parseCli } from '../../src/cli/args.js';
import { parseFilter } from '../../src/filter/parser.js';
import { parseRegistryText, parseServerEntry } from '../../src/registry/schema.js';
import { openDatabase } from '../../src/store/database.js';
import { CLIENT_PATHS, SERVER_PATHS } from '../fixtures/conformance-paths.js';
import { BIN, type CliRun, runCli } from '../helpers/cli.js';
import { stdioServers } from '../helpers/stdio.js';
import { docFiles, REPO, readDoc, type Snippet, shellCommands, snippets } from './markdown.js';

/**
 * Every fenced block of README.md and docs/*.md is run as printed against a real gateway (the built
 * binary, on a free port), or checked against the code it describes, or is on SKIP with the reason.
 *
 * The one substitution, as the README says: snippets are written for the default port, so
 * `localhost:3333` becomes the test gateway's port; JSON's `<token>` and the shell's `$MCP_GATEWAY_TOKEN`
 * are its token. Commands run with `mcp-gateway` on PATH (as the Quick start links it) and the test's
 * storage dir in MCP_GATEWAY_STORAGE, the variable the CLI documents.
 */

const TOKEN = 'docs-snippets-token-0123456789';

/** Commands not run here, each with why. Matched against the command as printed. */
const SKIP: Record<string, string> = {
  'mcp-gateway --oidc-issuer https://sso.example.com --oidc-client-id mcp-gateway --oidc-client-secret-file /etc/mcp-gateway/oidc-secret --oidc-roles "gateway-admins=admin,developers=operator,*=viewer"':
    'needs an OpenID provider; test/ui/oidc-sign-in.test.ts starts gateways with these flags against a real one',
  'npm install && npm start -- --demo':
    'the Quick start itself: test/ui/first-run.test.ts runs `npm start -- --demo` and follows its link in Chromium',
  'npm install && npm start': 'the same script without --demo (npm install is what CI did before the tests)',
  'npm install && npm test': 'the whole suite; this test is part of it',
  "api '/api/logs/1234'": 'an example id; GET /api/logs/<id> is pinned by test/api/logs.test.ts',
  "api '/api/diff?a=1234&b=1240'": 'example ids; GET /api/diff is pinned by test/diff/diff-api.test.ts',
  "api '/api/diff?a=1234&b=1240&ignore=/params/_meta&ignore=/result/content/0/text'":
    'example ids; ignore= is pinned by test/diff/diff-api.test.ts',
  "api '/api/diff?a=session:3f2a9c1e&b=session:7b51d0aa&filter=method:tools/call'":
    'example session ids; two sessions are compared in test/diff/diff-api.test.ts',
  'mcp-gateway --store postgres://gateway@db.example.lan:5432/mcp_gateway --instance laptop-1':
    'needs a PostgreSQL server; test/e2e/postgres-two-instances.test.ts starts two gateways on a real one',
  'npm run conformance':
    'runs every conformance scenario on every path for minutes; test/conformance/*.test.ts hold the same pass sets',
  'npx vitest run test/conformance/server-paths.test.ts test/conformance/client-paths.test.ts':
    'those two tests are part of the suite this test belongs to',
  'mcp-gateway --db-key-file ~/.mcp-gateway.key':
    'starts a gateway that runs until stopped; test/e2e/encrypted-store.test.ts starts gateways with a key',
  'mcp-gateway db encrypt --storage-dir ~/.mcp-gateway --db-key-file ~/.mcp-gateway.key':
    'needs a store of its own and no gateway on it; test/cli/db-command.test.ts runs encrypt, rekey and decrypt',
  'mcp-gateway db rekey --storage-dir ~/.mcp-gateway --db-key-file ~/.mcp-gateway.key --new-key-file ~/.mcp-gateway.new-key':
    'the same: test/cli/db-command.test.ts',
  'mcp-gateway db decrypt --storage-dir ~/.mcp-gateway --db-key-file ~/.mcp-gateway.new-key':
    'the same: test/cli/db-command.test.ts',
  'mcp-gateway db encrypt --keychain --storage-dir ~/.mcp-gateway':
    'needs a keychain: test/cli/db-keychain.test.ts runs it against GNOME Keyring in a D-Bus session of its own',
  'mcp-gateway --host 0.0.0.0 --allowed-hosts gateway.example.lan --tls self-signed --proxy-auth':
    'binds every interface and runs until stopped; test/e2e/tls.test.ts and test/e2e/proxy-auth.test.ts run both',
  'mcp-gateway --tls-cert /etc/mcp-gateway/fullchain.pem --tls-key /etc/mcp-gateway/privkey.pem':
    'example paths of a real certificate; test/cli/tls.test.ts and test/tls/self-signed.test.ts load PEM pairs',
  'mcp-gateway --tls self-signed':
    'runs until stopped; test/cli/tls.test.ts starts it twice and checks the certificate is reused',
  'mcp-gateway mock --from 3f2a9c1e-5b7d-4e1a-9c3f-2b8d7e6a1f00 --stdio':
    'an example session id; test/mock/mock-cli.test.ts serves recorded sessions over stdio to the SDK client',
  'mcp-gateway mock --from 3f2a9c1e-5b7d-4e1a-9c3f-2b8d7e6a1f00 --port 4444':
    'serves until stopped; test/mock/mock-cli.test.ts serves recorded sessions over HTTP to the SDK client',
  'mcp-gateway mock --from "server:everything method:tools/call" --port 4444':
    'serves until stopped; test/mock/mock-cli.test.ts builds a mock from a filter',
  'mcp-gateway mock export --from 3f2a9c1e-5b7d-4e1a-9c3f-2b8d7e6a1f00 --out everything.json':
    'an example session id; test/mock/mock-cli.test.ts exports a session and serves the fixture',
  'mcp-gateway mock --from everything.json --stdio': 'the same: test/mock/mock-cli.test.ts',
};

/** Commands of other tools, which this machine does not have. */
const FOREIGN_COMMANDS: Record<string, string> = {
  claude: 'Claude Code is not installed here; the URLs it is given are the ones the JSON snippets connect to',
};

/** Flags in the docs that belong to other programs or are examples of something else. */
const FOREIGN_FLAGS: Record<string, string> = {
  '--transport': 'claude mcp add',
  '--header': 'claude mcp add',
  '--scope': 'claude mcp add',
  '--data-binary': 'curl',
  '--max-semi-space-size': 'node, in bin/mcp-gateway.js',
  '--heap-growing-percent': 'node, in bin/mcp-gateway.js',
  '--token': "a stdio server's argument, in the redaction examples",
  '--api-key': "a stdio server's argument, in the redaction examples",
  '--prot': 'the example of a mistyped option',
  '--import': 'node, loading the conformance suite on Node.js 20',
  '--suite': 'the conformance suite',
  '--cpu-prof': 'node, for a CPU profile of the gateway in the benchmark',
  '--cpu-prof-dir': 'node, for a CPU profile of the gateway in the benchmark',
  '--ignore-certificate-errors-spki-list': 'Chromium, trusting one certificate in a test',
};

/** Text blocks (no language) and what each is checked against. */
type TextCheck = (snippet: Snippet) => Promise<void> | void;

let gateway: CliRun;
let port = 0;
let storage = '';
let home = '';
let work = '';
let env: Record<string, string> = {};

function asPrinted(text: string): string {
  return text.replaceAll('localhost:3333', `localhost:${port}`).replaceAll('<token>', TOKEN);
}

function bash(script: string, cwd = work): { status: number | null; out: string } {
  const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

async function withClient<T>(
  transport: StdioClientTransport | StreamableHTTPClientTransport,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ name: 'docs-snippet', version: '1.0.0' });
  await client.connect(transport);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** Runs a client's server entry the way the client would, and asks it for its tools. */
async function runEntry(entry: Record<string, unknown>): Promise<void> {
  if (typeof entry.url === 'string') {
    const headers = entry.headers as Record<string, string> | undefined;
    const transport = new StreamableHTTPClientTransport(new URL(entry.url), {
      requestInit: headers ? { headers } : {},
    });
    const tools = await withClient(transport, (client) => client.listTools());
    expect(tools.tools.length).toBeGreaterThan(0);
    return;
  }
  const transport = new StdioClientTransport({
    command: entry.command as string,
    args: entry.args as string[],
    env: { ...env, ...(entry.env as Record<string, string> | undefined) },
    cwd: REPO,
    stderr: 'pipe',
  });
  const tools = await withClient(transport, (client) => client.listTools());
  expect(tools.tools.length).toBeGreaterThan(0);
}

/** A client's config: `mcpServers` (Claude Desktop, Cursor, the registry) or `servers` (VS Code). */
function entriesOf(value: Record<string, unknown>): Record<string, Record<string, unknown>> | null {
  const entries = (value.mcpServers ?? value.servers) as Record<string, Record<string, unknown>> | undefined;
  return entries ?? null;
}

/** Entries that reach this gateway: a URL on it, or the mcp-gateway command. */
function reachesGateway(entry: Record<string, unknown>): boolean {
  return entry.command === 'mcp-gateway' || String(entry.url ?? '').includes('localhost:3333');
}

async function checkJson(snippet: Snippet): Promise<void> {
  const value = JSON.parse(snippet.text) as Record<string, unknown>;
  const entries = entriesOf(value);
  if (value.mcpServers) {
    const parsed = parseRegistryText(snippet.text);
    expect(parsed.ok ? [] : parsed.problems, 'as mcp.json').toEqual([]);
  } else if (entries) {
    for (const [name, entry] of Object.entries(entries)) {
      const parsed = parseServerEntry(name, entry);
      expect(parsed.ok ? [] : parsed.problems, `server "${name}"`).toEqual([]);
    }
  }
  if ('position' in value && 'suggestion' in value) {
    // The filter language's error, for the filter the text above it names.
    const filter = /For\s+`([^`]+)`:\s*$/.exec(snippet.before)?.[1];
    expect(filter, 'the filter this error is for').toBeDefined();
    const response = await fetch(
      `http://localhost:${port}/api/logs?filter=${encodeURIComponent(filter as string)}`,
      { headers: { authorization: `Bearer ${TOKEN}` } },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject(value);
  }
  for (const entry of Object.values(entries ?? {})) {
    if (reachesGateway(entry)) await runEntry(JSON.parse(asPrinted(JSON.stringify(entry))));
  }
}

/** What earlier blocks of a page define (`export X=…`, `api() { … }`): later blocks of the page use it. */
const definitions = new Map<string, string[]>();

function checkShell(snippet: Snippet): void {
  const commands = shellCommands(snippet.text);
  const defined = definitions.get(snippet.file) ?? [];
  const run: string[] = [...defined];
  for (const command of commands) {
    const word = command.split(/\s+/)[0] ?? '';
    if (SKIP[command] || FOREIGN_COMMANDS[word]) continue;
    // A live feed never ends by itself: it must have started streaming within two seconds.
    if (command.startsWith('curl -N')) {
      run.push(`{ timeout 2 ${asPrinted(command)} > events.txt || [ $? -eq 124 ]; }; grep -q . events.txt`);
      continue;
    }
    run.push(asPrinted(command));
  }
  definitions.set(snippet.file, [
    ...defined,
    // Only this block's own: `run` starts with what earlier blocks defined.
    ...run.slice(defined.length).filter((command) => /^(export \w+=|\w+\(\) \{)/.test(command)),
  ]);
  if (run.length === defined.length) return;
  // "From a checkout": a block that names $PWD runs in the repository, the others in a scratch dir.
  const result = bash(run.join('\n'), snippet.text.includes('$PWD') ? REPO : work);
  expect(result.status, `${snippet.where}:\n${run.join('\n')}\n${result.out}`).toBe(0);
  const linked = /^ln -s \S+ (\S+)/.exec(commands.find((c) => c.startsWith('ln -s')) ?? '')?.[1];
  if (linked) {
    // The linked command runs from any directory, with nothing else on PATH.
    const version = bash(`${linked} --version`);
    expect(version.status, version.out).toBe(0);
    expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  }
}

async function checkTypeScript(snippet: Snippet): Promise<void> {
  const dir = join(REPO, '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `snippet-${snippet.where.replace(/[^a-z0-9]+/gi, '-')}.mts`);
  writeFileSync(file, `${asPrinted(snippet.text)}\nprocess.exit(0);\n`);
  try {
    const result = spawnSync(process.execPath, ['--import', 'tsx', file], {
      cwd: REPO,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  } finally {
    rmSync(file, { force: true });
  }
}

const TEXT_CHECKS: { test: RegExp; check: TextCheck }[] = [
  {
    // The conformance table as `npm run conformance` prints it: its columns are the paths the runner knows.
    test: /^\s+direct\s+http\s/,
    check: (snippet) => {
      const columns = (snippet.text.split('\n')[0] ?? '').trim().split(/\s+/);
      expect(new Set(columns)).toEqual(new Set([...SERVER_PATHS, ...CLIENT_PATHS]));
      expect(snippet.text).toContain('Every path keeps the pass set measured direct.');
    },
  },
  {
    // The usage lines of the CLI: each command answers --help.
    test: /^mcp-gateway \[options\]/,
    check: (snippet) => {
      for (const line of snippet.text.split('\n')) {
        const command = /^mcp-gateway (ui|wrap|connect|secret|token|audit|import|db|mock)\b/.exec(line)?.[1];
        const result = bash(`mcp-gateway ${command ?? ''} --help`);
        expect(result.status, result.out).toBe(0);
      }
    },
  },
  {
    // The source tree of docs/development.md: every folder it names exists.
    test: /^src\/\n/,
    check: (snippet) => {
      let parent = '';
      for (const line of snippet.text.split('\n')) {
        const name = /^(\s*)([a-z]+)\/\s/.exec(`${line} `);
        if (!name) continue;
        const path = name[1] ? `${parent}${name[2]}` : (name[2] as string);
        if (!name[1]) parent = `${name[2]}/`;
        expect(existsSync(join(REPO, path)), path).toBe(true);
      }
    },
  },
  {
    // Filter examples: each line is a valid filter.
    test: /^server:github method:tools\/call/,
    check: (snippet) => {
      for (const line of snippet.text.split('\n')) expect(() => parseFilter(line), line).not.toThrow();
    },
  },
  {
    // The refusals of an encrypted store without its key: the CLI prints these very lines (its path aside).
    test: /^mcp-gateway: \/home\/me\/\.mcp-gateway\/logs\.db is encrypted/,
    check: (snippet) => {
      const dir = join(storage, 'encrypted-store');
      mkdirSync(dir, { mode: 0o700 });
      writeFileSync(join(dir, 'logs.db'), '', { mode: 0o600 });
      openDatabase(join(dir, 'logs.db'), {
        migrate: true,
        key: { passphrase: 'right', source: 'test' },
      }).close();
      const printed = ['', 'MCP_GATEWAY_DB_KEY=wrong '].map((variable) => {
        const result = bash(`${variable}mcp-gateway --port 0 --storage-dir ${dir} || [ $? -eq 2 ]`);
        expect(result.status, result.out).toBe(0);
        return result.out.trim().replaceAll(dir, '/home/me/.mcp-gateway');
      });
      expect(snippet.text.split('\n')).toEqual(printed);
    },
  },
  {
    // What `token create` prints: run for real on the docs gateway's storage dir, value and times aside.
    test: /^Token ci-bot created \(/,
    check: (snippet) => {
      const args = /^mcp-gateway (token create --name ci-bot [^\n]+)$/m.exec(
        snippets(snippet.file)
          .filter((s) => s.lang === 'sh')
          .map((s) => s.text)
          .join('\n'),
      )?.[1];
      expect(args, 'the token create command the page shows').toBeDefined();
      const result = bash(`mcp-gateway ${args?.replace('ci-bot', 'ci-bot-printed')}`);
      expect(result.status, result.out).toBe(0);
      bash('mcp-gateway token revoke ci-bot-printed');
      const same = (text: string) =>
        text
          .trim()
          .replaceAll('ci-bot-printed', 'ci-bot')
          .replace(/mgw_[A-Za-z0-9_-]{43}/g, 'mgw_VALUE')
          .replace(/\d{4}-\d\d-\d\dT\d\d:\d\dZ/g, 'TIME');
      expect(same(result.out)).toBe(same(asPrinted(snippet.text)));
    },
  },
  {
    // `db encrypt --keychain` where there is no keychain (no D-Bus session here): the CLI prints this line.
    test: /^mcp-gateway: --keychain: /,
    check: (snippet) => {
      const dir = join(storage, 'no-keychain');
      mkdirSync(dir, { mode: 0o700 });
      openDatabase(join(dir, 'logs.db'), { migrate: true }).close();
      const result = bash(
        `env -u DBUS_SESSION_BUS_ADDRESS mcp-gateway db encrypt --keychain --storage-dir ${dir} || [ $? -eq 2 ]`,
      );
      expect(result.status, result.out).toBe(0);
      expect(snippet.text).toBe(result.out.trim());
    },
  },
  {
    // The exposure warning of docs/tls.md: the very text a gateway on 0.0.0.0 without TLS or --proxy-auth prints.
    test: /^warning: listening on all interfaces/,
    check: (snippet) => {
      const printed = exposureWarning({ host: '0.0.0.0', tls: { kind: 'off' }, proxyAuth: false });
      expect(snippet.text).toBe(`warning: ${printed}`);
    },
  },
  {
    // The terminal lines of a stdio server's life: the test gateway printed the first two for its own.
    test: /^stdio server memory: starting/,
    check: (snippet) => {
      const printed = gateway.stdout() + gateway.stderr();
      const [starting, running] = snippet.text.split('\n');
      expect(starting).toMatch(/^stdio server memory: starting npx -y @modelcontextprotocol\/server-memory$/);
      expect(printed).toMatch(/stdio server everything: starting \S+/);
      expect(running?.replace(/\d+/, 'N')).toBe('stdio server memory: running (pid N)');
      expect(printed).toMatch(/stdio server everything: running \(pid \d+\)/);
    },
  },
];

describe('every snippet in README.md and docs/ runs as printed', () => {
  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'mcp-gateway-docs-'));
    home = join(storage, 'home');
    work = join(storage, 'work');
    const bin = join(storage, 'bin');
    for (const dir of [home, join(home, '.local', 'bin'), work, bin]) mkdirSync(dir, { recursive: true });
    symlinkSync(BIN, join(bin, 'mcp-gateway'));
    // HTTP errors fail a snippet (and show the gateway's message), as `set -e` makes any other failure.
    writeFileSync(join(bin, 'curl'), '#!/bin/sh\nexec /usr/bin/curl --fail-with-body "$@"\n');
    chmodSync(join(bin, 'curl'), 0o755);
    const dataDir = join(storage, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    writeFileSync(
      join(dataDir, 'mcp.json'),
      JSON.stringify({ mcpServers: { everything: stdioServers.everything() } }),
      { mode: 0o600 },
    );
    gateway = runCli(['--port', '0', '--storage-dir', dataDir, '--health-interval', '0'], {
      MCP_GATEWAY_TOKEN: TOKEN,
    });
    const banner = await gateway.waitFor(/Press Ctrl-C/);
    port = Number(/Listening\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(banner)?.[1]);
    await gateway.waitFor(/stdio server everything: running/);
    env = {
      PATH: [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
      HOME: home,
      MCP_GATEWAY_TOKEN: TOKEN,
      MCP_GATEWAY_PORT: String(port),
      MCP_GATEWAY_STORAGE: dataDir,
    };
    // The REST examples speak of a server "github": here a real HTTP MCP server, the gateway's own proxy.
    const response = await fetch(`http://localhost:${port}/api/servers/config`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'github',
        type: 'http',
        url: `http://localhost:${port}/s/everything/mcp`,
      }),
    });
    expect(response.status, await response.text()).toBeLessThan(300);
  }, 60_000);

  afterAll(async () => {
    if (gateway && gateway.child.exitCode === null) {
      gateway.child.kill('SIGTERM');
      await gateway.exit();
    }
    if (storage) rmSync(storage, { recursive: true, force: true });
  });

  for (const file of docFiles()) {
    for (const snippet of snippets(file)) {
      it(`${snippet.where} (${snippet.lang || 'text'})`, async () => {
        if (snippet.lang === 'json') return checkJson(snippet);
        if (snippet.lang === 'sh') return checkShell(snippet);
        if (snippet.lang === 'ts') return checkTypeScript(snippet);
        if (snippet.lang === 'text' && snippet.where.startsWith('README.md')) return; // the banner: below
        const check = TEXT_CHECKS.find((c) => c.test.test(snippet.text));
        expect(check, `no check for this block:\n${snippet.text}`).toBeDefined();
        await check?.check(snippet);
      }, 60_000);
    }
  }
});

describe('the flags the docs mention', () => {
  it('are options of mcp-gateway (or belong to the other program named)', () => {
    const unknown: string[] = [];
    for (const file of docFiles()) {
      for (const flag of new Set(readDoc(file).match(/(?<![\w-])--[a-z][a-z-]+/g) ?? [])) {
        if (FOREIGN_FLAGS[flag] || accepted(flag)) continue;
        unknown.push(`${file}: ${flag}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});

/** Whether some mcp-gateway command takes `flag` (with a value, or as a switch). */
function accepted(flag: string): boolean {
  const forms = [
    [flag, '1'],
    [flag],
    ['ui', flag],
    ['wrap', flag, 'x', '--', 'cmd'],
    ['wrap', flag, '--', 'cmd'],
    ['connect', 'x', flag, 'http://localhost:1/'],
    ['connect', 'x', flag],
    ['secret', 'list', flag, '1'],
    ['import', 'vscode', flag, '1'],
    ['import', 'vscode', flag],
    ['db', 'rekey', flag, 'x'],
    ['token', 'create', '--name', 'x', '--role', 'viewer', flag, '1d'],
    ['token', 'create', '--name', 'x', flag, 'viewer'],
    ['token', 'list', flag],
    ['audit', 'list', flag, '1'],
    ['audit', 'list', flag],
    ['db', 'rekey', flag],
    ['mock', flag, 'x'],
    ['mock', '--from', 'x', flag],
    ['mock', '--from', 'x', flag, '1'],
    ['mock', '--from', 'x', flag, 'exact'],
    ['mock', 'export', '--from', 'x', flag, 'f'],
  ];
  return forms.some((argv) => {
    try {
      parseCli(argv);
      return true;
    } catch {
      return false;
    }
  });
}

describe('the npm scripts the docs mention', () => {
  it('exist in package.json, with the arguments they are given', () => {
    const scripts = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    const bench = readFileSync(join(REPO, 'bench', 'run.ts'), 'utf8');
    const missing: string[] = [];
    for (const file of docFiles()) {
      for (const match of readDoc(file).matchAll(/npm run ([a-z:-]+)(?: ([a-z]+)\b)?/g)) {
        const [, script, arg] = match;
        if (!scripts[script as string]) missing.push(`${file}: npm run ${script}`);
        // `npm run bench <suite>`: the suites bench/run.ts knows.
        if (script === 'bench' && arg && !new RegExp(`^\\s+${arg}: `, 'm').test(bench)) {
          missing.push(`${file}: npm run bench ${arg}`);
        }
      }
      for (const match of readDoc(file).matchAll(/npm (start|test)\b/g)) {
        if (!scripts[match[1] as string]) missing.push(`${file}: npm ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('the skip list', () => {
  it('names only commands the docs still print', () => {
    const printed = new Set(
      docFiles().flatMap((file) =>
        snippets(file)
          .filter((s) => s.lang === 'sh')
          .flatMap((s) => shellCommands(s.text)),
      ),
    );
    expect(Object.keys(SKIP).filter((command) => !printed.has(command))).toEqual([]);
  });
});
