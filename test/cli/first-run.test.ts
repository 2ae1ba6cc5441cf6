import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, type CliRun, runCli } from '../helpers/cli.js';

const TOKEN = 'first-run-test-token-0123456789';
/** PATH without any `mcp-gateway` on it, as after `npm install && npm start` in a fresh checkout. */
const BARE_PATH = [dirname(process.execPath), '/usr/bin', '/bin'].join(':');

interface LogsPage {
  data: {
    server: string;
    method: string | null;
    kind: string;
    summary: string;
    client: { name: string } | null;
  }[];
}

async function api<T>(base: string, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
  });
  const text = await response.text();
  expect(response.status, `${path}: ${text}`).toBeLessThan(300);
  return JSON.parse(text) as T;
}

/** The base URL from the banner's "Listening" line's port: clients use localhost. */
function baseUrl(output: string): string {
  const port = /Listening\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
  expect(port, output).toBeDefined();
  return `http://localhost:${port}`;
}

async function stop(run: CliRun): Promise<void> {
  if (run.child.exitCode !== null) return;
  run.child.kill('SIGTERM');
  await run.exit();
}

describe('first run: npm start -- --demo', () => {
  const dirs: string[] = [];
  const runs: CliRun[] = [];
  afterAll(async () => {
    for (const run of runs) await stop(run);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const storage = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-first-run-'));
    dirs.push(dir);
    return dir;
  };
  const start = (args: string[], env: Record<string, string> = {}) => {
    const run = runCli(['--port', '0', ...args], { MCP_GATEWAY_TOKEN: TOKEN, PATH: BARE_PATH, ...env });
    runs.push(run);
    return run;
  };

  it('registers a real demo server and captures a client calling it, visible over the API at once', async () => {
    const dir = storage();
    const run = start(['--demo', '--storage-dir', dir]);
    const banner = await run.waitFor(/Press Ctrl-C/);
    expect(banner).toMatch(/Servers\s+1/);
    expect(banner).toMatch(/demo\s+http:\/\/localhost:\d+\/s\/demo\/mcp/);
    const base = baseUrl(banner);
    await run.waitFor(/demo: a client made \d+ calls/, 30_000);
    const logs = await api<LogsPage>(base, '/api/logs?server=demo&limit=100');
    const calls = logs.data.filter((r) => r.method === 'tools/call' && r.kind === 'request');
    expect(calls.map((r) => r.summary)).toContain('echo(message: Hello from the MCP Gateway demo)');
    expect(calls[0]?.client?.name).toBe('mcp-gateway-demo-client');
    // A session and its insights come from the same records.
    const sessions = await api<{ data: unknown[] }>(base, '/api/sessions?server=demo');
    expect(sessions.data.length).toBeGreaterThan(0);
    await stop(run);
  }, 60_000);

  it('leaves the demo server out once the user removed it, and says how to have it back', async () => {
    const dir = storage();
    const first = start(['--demo', '--storage-dir', dir]);
    const base = baseUrl(await first.waitFor(/Press Ctrl-C/));
    // Removing it is one delete, as the UI's Servers screen does.
    await api(base, '/api/servers/config/demo', { method: 'DELETE' });
    await stop(first);
    const again = start(['--demo', '--storage-dir', dir]);
    const output = await again.waitFor(/Press Ctrl-C/);
    expect(output).toContain('you removed the "demo" server, so --demo leaves it out');
    expect(output).toContain(join(dir, 'demo.json'));
    expect(output).toMatch(/Servers\s+none yet/);
    expect(JSON.parse(readFileSync(join(dir, 'mcp.json'), 'utf8')).mcpServers).toEqual({});
    await stop(again);
  }, 60_000);

  it('names the gateway by its absolute path in client configs when mcp-gateway is not on PATH, and that runs', async () => {
    const run = start(['--storage-dir', storage()]);
    const base = baseUrl(await run.waitFor(/Press Ctrl-C/));
    const { command } = await api<{ command: string }>(base, '/api/status');
    expect(realpathSync(command)).toBe(realpathSync(BIN));
    // The snippet runs as printed: the client launches `command` with the snippet's args.
    const version = spawnSync(command, ['--version'], { encoding: 'utf8', env: { PATH: BARE_PATH } });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    await stop(run);
  }, 30_000);

  it('names it plain mcp-gateway when that command on PATH is this gateway', async () => {
    const binDir = join(storage(), 'bin');
    mkdirSync(binDir);
    symlinkSync(BIN, join(binDir, 'mcp-gateway'));
    const run = start(['--storage-dir', storage()], { PATH: `${binDir}:${BARE_PATH}` });
    const base = baseUrl(await run.waitFor(/Press Ctrl-C/));
    expect((await api<{ command: string }>(base, '/api/status')).command).toBe('mcp-gateway');
    await stop(run);
  }, 30_000);
});

describe('mcp-gateway ui', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-ui-link-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says clearly that no gateway runs on the storage dir, and exits 1', async () => {
    const run = runCli(['ui', '--storage-dir', dir]);
    expect(await run.exit()).toBe(1);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toContain(`no gateway is running on storage dir ${dir}`);
  });

  it("prints the running gateway's link, on its real port, and the link signs a browser in", async () => {
    // No MCP_GATEWAY_TOKEN: the token is a fresh one only the gateway's terminal and storage dir know.
    const gateway = runCli(['--port', '0', '--storage-dir', dir]);
    try {
      const banner = await gateway.waitFor(/Press Ctrl-C/);
      const printed = /Web UI\s+(\S+)/.exec(banner)?.[1];
      const ui = runCli(['ui', '--storage-dir', dir]);
      expect(await ui.exit()).toBe(0);
      const link = ui.stdout().trim();
      expect(link).toBe(printed);
      expect(new URL(link).port).toBe(new URL(baseUrl(banner)).port);
      const signIn = await fetch(link, { redirect: 'manual' });
      expect(signIn.status).toBe(302);
      const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
      expect(cookie).toMatch(/^mcp_gateway_session=/);
      const status = await fetch(`${baseUrl(banner)}/api/status`, { headers: { cookie } });
      expect(status.status).toBe(200);
    } finally {
      await stop(gateway);
    }
    // Stopped: the link is gone with it.
    const after = runCli(['ui', '--storage-dir', dir]);
    expect(await after.exit()).toBe(1);
  }, 30_000);
});
