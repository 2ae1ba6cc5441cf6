import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type CliRun, runCli } from '../helpers/cli.js';

const OWNER_TOKEN = 'owner-token-for-the-cli-test-0123';

/**
 * A connection per request: CLI runs take seconds here, long enough for the gateway to close an idle
 * keep-alive connection just as the next request would reuse it ("other side closed").
 */
const dispatcher = new Agent({ pipelining: 0 });

/** The real CLI (built: `npm run build` first), as a separate process, the way a team admin runs it. */
function token(args: string[], env: Record<string, string | undefined> = {}) {
  const run = spawnSync(process.execPath, [BIN, 'token', ...args], {
    encoding: 'utf8',
    env: { ...process.env, MCP_GATEWAY_STORAGE: undefined, MCP_GATEWAY_PORT: undefined, ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function valueIn(stdout: string): string {
  const value = /^ {2}(mgw_[A-Za-z0-9_-]{43})$/m.exec(stdout)?.[1];
  expect(value, stdout).toBeDefined();
  return value as string;
}

// Each CLI run starts a Node process: seconds apiece on a busy machine.
describe('mcp-gateway token, against a gateway running on the same storage dir', { timeout: 90_000 }, () => {
  let dir: string;
  let gateway: CliRun;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-token-cli-'));
    gateway = runCli(['--port', '0', '--storage-dir', dir, '--health-interval', '0'], {
      MCP_GATEWAY_TOKEN: OWNER_TOKEN,
    });
    const banner = await gateway.waitFor(/Press Ctrl-C/);
    url = `http://127.0.0.1:${/Listening\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(banner)?.[1]}`;
  }, 30_000);

  afterAll(async () => {
    if (gateway && gateway.child.exitCode === null) {
      gateway.child.kill('SIGTERM');
      await gateway.exit();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const status = async (value: string, path = '/api/status', cookie?: string) =>
    (
      await fetch(`${url}${path}`, {
        headers: cookie ? { cookie } : { authorization: `Bearer ${value}` },
        dispatcher,
      })
    ).status;

  it('create prints the value once with how to use it; the running gateway accepts it at once', async () => {
    const created = token(['create', '--name', 'ci-bot', '--role', 'viewer', '--storage-dir', dir]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const value = valueIn(created.stdout);
    expect(created.stdout).toContain('shown only this once');
    expect(created.stdout).toContain(`Authorization: Bearer ${value}`);
    // The link points at the gateway running there, as `mcp-gateway ui` would.
    expect(created.stdout).toContain(
      `Web UI:      ${url.replace('127.0.0.1', 'localhost')}/ui?token=${value}\n`,
    );
    expect(readFileSync(join(dir, 'tokens.json'), 'utf8')).not.toContain(value);
    expect(statSync(join(dir, 'tokens.json')).mode & 0o777).toBe(0o600);

    expect(await status(value)).toBe(200);
    // A viewer: reads, but does not manage tokens.
    expect(await status(value, '/api/tokens')).toBe(403);

    const list = token(['list', '--storage-dir', dir]);
    expect(list.code).toBe(0);
    const [header, row] = list.stdout.split('\n');
    expect(header).toMatch(/^NAME\s+ROLE\s+SERVERS\s+CREATED\s+EXPIRES\s+LAST USED$/);
    // Last used: the gateway wrote it when the token was accepted a moment ago.
    expect(row).toMatch(
      /^ci-bot\s+viewer\s+all\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+never\s+\d{4}-\d\d-\d\d \d\d:\d\d$/,
    );
    expect(list.stdout).not.toContain(value);
    const json = JSON.parse(token(['list', '--json', '--storage-dir', dir]).stdout);
    expect(json.tokens).toEqual([
      expect.objectContaining({
        name: 'ci-bot',
        role: 'viewer',
        servers: null,
        expires: null,
        expired: false,
      }),
    ]);
    expect(JSON.stringify(json)).not.toMatch(/hash|mgw_/);
  });

  it('rotate: the old value is refused at once and the new one works; revoke: refused at once', async () => {
    const created = token([
      'create',
      '--name',
      'laptop',
      '--role',
      'admin',
      '--expires',
      '12h',
      '--storage-dir',
      dir,
    ]);
    const old = valueIn(created.stdout);
    expect(created.stdout).toMatch(/\(admin, all servers, expires \d{4}-\d\d-\d\dT\d\d:\d\dZ\)/);
    expect(await status(old, '/api/tokens')).toBe(200);

    // The holder signs in to the web UI with the link: a session with the token's role.
    const signIn = await fetch(`${url}/ui?token=${old}`, { redirect: 'manual', dispatcher });
    expect(signIn.status).toBe(302);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const session = await fetch(`${url}/api/session`, { headers: { cookie }, dispatcher });
    expect(await session.json()).toMatchObject({ via: 'ui-session', actor: 'laptop', role: 'admin' });

    const rotated = token(['rotate', 'laptop', '--storage-dir', dir]);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('the old value no longer works');
    const value = valueIn(rotated.stdout);
    expect(await status(old)).toBe(401);
    expect(await status(value)).toBe(200);
    // What the old value opened ends with it.
    expect(await status('', '/api/status', cookie)).toBe(401);

    const revoked = token(['revoke', 'laptop'], { MCP_GATEWAY_STORAGE: dir });
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('token laptop revoked');
    expect(await status(value)).toBe(401);
    // The owner's token is not a named token: nothing here touches it.
    expect(await status(OWNER_TOKEN)).toBe(200);
  });

  it('a usage mistake is one line and exit 2; an unknown token is exit 1 naming the ones there are', () => {
    const cases: [string[], RegExp][] = [
      [['create', '--name', 'x'], /needs --role viewer, operator or admin/],
      [['create', '--role', 'viewer'], /needs --name/],
      [['create', '--name', 'x', '--role', 'root'], /"root" is not a role/],
      [['create', '--name', 'x', '--role', 'viewer', '--expires', '30'], /such as 90m, 12h, 30d or 8w/],
      [['create', '--name', 'owner', '--role', 'admin'], /startup token's name/],
      [['create', '--name', 'x', '--role', 'viewer', '--servers', 'Bad Name'], /--servers:/],
      [['revoke'], /needs the token's NAME/],
      [['revoke', 'ci-bot', '--expires', '1d'], /--expires is for token create and rotate/],
      [['list', '--rol', 'viewer'], /did you mean --role\?/],
      [['frobnicate'], /token needs create, list, revoke or rotate/],
    ];
    for (const [args, message] of cases) {
      const run = token([...args, '--storage-dir', dir]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const missing = token(['revoke', 'nobody', '--storage-dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no token named nobody in .*tokens\.json; there are: ci-bot/);
    const taken = token(['create', '--name', 'ci-bot', '--role', 'viewer', '--storage-dir', dir]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('a token named ci-bot already exists');
  });
});

describe('mcp-gateway token, with no gateway running', { timeout: 90_000 }, () => {
  it('creates, lists and scopes tokens in a new storage dir, and says where the link will work', () => {
    const parent = mkdtempSync(join(tmpdir(), 'mcp-gateway-token-cold-'));
    const dir = join(parent, 'storage');
    try {
      const empty = token(['list'], { MCP_GATEWAY_STORAGE: dir });
      expect(empty.code).toBe(0);
      expect(empty.stderr).toContain('no tokens in');
      const created = token(
        [
          'create',
          '--name',
          'jira-bot',
          '--role',
          'operator',
          '--servers',
          'jira,github',
          '--expires',
          '90m',
        ],
        {
          MCP_GATEWAY_STORAGE: dir,
          MCP_GATEWAY_PORT: '4455',
        },
      );
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain('(operator, servers jira, github, expires');
      expect(created.stdout).toMatch(
        /Web UI: {6}http:\/\/localhost:4455\/ui\?token=mgw_\S+ {2}\(once the gateway runs there\)/,
      );
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const json = JSON.parse(token(['list', '--json', '--storage-dir', dir]).stdout);
      expect(json.tokens[0]).toMatchObject({ name: 'jira-bot', servers: ['jira', 'github'] });
      expect(Date.parse(json.tokens[0].expires) - Date.parse(json.tokens[0].created)).toBe(90 * 60_000);

      const rotated = JSON.parse(token(['rotate', 'jira-bot', '--json', '--storage-dir', dir]).stdout);
      expect(rotated.value).toMatch(/^mgw_/);
      expect(rotated.token.rotated).not.toBeNull();
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('a damaged tokens.json is one clear line (exit 1) and is left as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-token-damaged-'));
    try {
      mkdirSync(dir, { recursive: true });
      spawnSync('sh', ['-c', `printf '{"version": 1, "tokens": [' > ${dir}/tokens.json`]);
      for (const args of [['list'], ['create', '--name', 'x', '--role', 'viewer'], ['revoke', 'x']]) {
        const run = token([...args, '--storage-dir', dir]);
        expect(run.code, args.join(' ')).toBe(1);
        expect(run.stderr).toMatch(
          /tokens\.json is not a token file the gateway can read .*Restore it from a backup/,
        );
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
      }
      expect(readFileSync(join(dir, 'tokens.json'), 'utf8')).toBe('{"version": 1, "tokens": [');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
