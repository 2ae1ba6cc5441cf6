import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import { runCli } from '../helpers/cli.js';
import { connectClient } from '../helpers/mcp-client.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mcp-gateway-cli-'));
}

describe('mcp-gateway command line', () => {
  const dirs: string[] = [];
  let upstream: SdkServer;

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
  });

  afterAll(async () => {
    await upstream?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const storage = () => {
    const dir = tempDir();
    dirs.push(dir);
    return dir;
  };

  it('prints help and version', async () => {
    const help = runCli(['--help']);
    expect(await help.exit()).toBe(0);
    expect(help.stdout()).toContain('Usage: mcp-gateway');
    expect(help.stdout()).toContain('--storage-dir');
    const version = runCli(['--version']);
    expect(await version.exit()).toBe(0);
    expect(version.stdout().trim()).toBe(VERSION);
  });

  it.each([
    [['--port', 'eighty'], /invalid port "eighty"/],
    [['--port', '70000'], /invalid port "70000"/],
    [['--host', 'not a host'], /invalid host "not a host"/],
    [['--max-body-mb=-1'], /invalid max body size "-1"/],
    [['--storage-dir='], /invalid storage dir ""/],
    [['--frobnicate'], /unknown option "--frobnicate"\. See mcp-gateway --help/],
    [['serve-me'], /unknown command "serve-me"/],
    [['--prot', '4000'], /unknown option "--prot"; did you mean --port\? See mcp-gateway --help/],
    [['--storage', '/tmp/x'], /did you mean --storage-dir\?/],
    [['--port'], /--port needs a value/],
    [['--help=yes'], /--help takes no value/],
    [['--port', '-1'], /invalid port "-1"/],
    [['--retention-days', '-1'], /invalid --retention-days "-1": use a whole number from 0/],
    [['--max-db-mb', '-3'], /invalid --max-db-mb "-3"/],
    [['--health-interval', '-30'], /invalid --health-interval "-30"/],
    [['--health-interval', 'often'], /invalid --health-interval "often"/],
    [['--capture-queue-mb', '-64'], /invalid capture queue size "-64"/],
    [['--max-body-mb', 'big'], /invalid max body size "big"/],
    [['--allowed-hosts', 'a b'], /invalid allowed host "a b"/],
    [
      ['--host', '0.0.0.0x', '--port', '0'],
      /cannot listen on 0\.0\.0\.0x: no such host name or address; use an address of this machine/,
    ],
    [
      ['--storage-dir', '/etc/hostname', '--port', '0'],
      /storage dir \/etc\/hostname is a file, not a directory\. Choose a directory you can write with --storage-dir/,
    ],
    [
      ['--storage-dir', '/etc/hostname/sub', '--port', '0'],
      /cannot create storage dir \/etc\/hostname\/sub: part of the path is a file, not a directory \(ENOTDIR\)/,
    ],
    [
      ['--storage-dir', '/sys/mcp-gateway', '--port', '0'],
      /cannot create storage dir \/sys\/mcp-gateway: .*\((EPERM|EACCES|EROFS)\)\. Choose a directory/,
    ],
    [['connect', 'x', '--port', '-1'], /invalid port "-1"/],
    [['connect', 'x', '--prot', '1'], /did you mean --port\? See mcp-gateway connect --help/],
    [['wrap', '--nmae', 'x', '--', 'cat'], /did you mean --name\?/],
  ])('refuses %j with one clear line and exit code 2', async (args, message) => {
    const run = runCli(args);
    expect(await run.exit()).toBe(2);
    expect(run.stderr()).toMatch(message);
    expect(run.stderr().trim().split('\n')).toHaveLength(1);
    expect(run.stdout()).toBe('');
  });

  it('refuses a bad MCP_GATEWAY_PORT the same way', async () => {
    const run = runCli([], { MCP_GATEWAY_PORT: 'abc' });
    expect(await run.exit()).toBe(2);
    expect(run.stderr()).toMatch(/invalid port "abc"/);
  });

  it('says when the port is taken and suggests --port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const run = runCli(['--port', String(port), '--storage-dir', storage()]);
    expect(await run.exit()).toBe(1);
    expect(run.stderr()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(run.stderr()).toContain(`--port ${port + 1}`);
    blocker.close();
  });

  it('starts with its banner, proxies, and on SIGTERM finishes in-flight requests and prints a summary', async () => {
    const dir = storage();
    writeFileSync(
      join(dir, 'mcp.json'),
      JSON.stringify({ mcpServers: { fixture: { type: 'http', url: upstream.url } } }),
    );
    const run = runCli(['--port', '0', '--storage-dir', dir], {
      MCP_GATEWAY_TOKEN: 'cli-test-token-1234567890',
    });
    const banner = await run.waitFor(/Press Ctrl-C to stop/);
    expect(banner).toContain(`MCP Gateway ${VERSION}`);
    expect(banner).toMatch(/Listening\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(banner).toMatch(/Web UI\s+http:\/\/localhost:\d+\/ui\?token=cli-test-token-1234567890/);
    const port = /localhost:(\d+)/.exec(banner)?.[1];
    expect(banner).toContain(`fixture  http://localhost:${port}/s/fixture/mcp  → ${upstream.url}`);

    const client = await connectClient(`http://localhost:${port}/s/fixture/mcp`);
    const slow = client.client.callTool({ name: 'slow', arguments: { ms: 600 } });
    // SIGTERM once the call is in flight upstream: the gateway must let it finish.
    await expect
      .poll(() => upstream.received.some((r) => r.body.includes('"slow"')), { timeout: 10_000 })
      .toBe(true);
    run.child.kill('SIGTERM');
    expect(JSON.stringify(await slow)).toContain('waited 600 ms');
    expect(await run.exit()).toBe(0);
    expect(run.stdout()).toMatch(/Captured \d+ message\(s\) in \d+s \(fixture \d+\)/);
    await client.client.close();
  });

  it('tightens a storage dir and files that others can read, and says so', async () => {
    const dir = join(storage(), 'loose');
    mkdirSync(dir, { mode: 0o755 });
    writeFileSync(join(dir, 'mcp.json'), '{"mcpServers":{}}', { mode: 0o644 });
    const run = runCli(['--port', '0', '--storage-dir', dir]);
    await run.waitFor(/Press Ctrl-C to stop/);
    run.child.kill('SIGINT');
    expect(await run.exit()).toBe(0);
    expect(run.stderr()).toContain('tightened it to 700');
    expect(run.stderr()).toContain('tightened it to 600');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'mcp.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'logs.db')).mode & 0o777).toBe(0o600);
  });

  it('warns when listening on all interfaces', async () => {
    const run = runCli(['--port', '0', '--host', '0.0.0.0', '--storage-dir', storage()]);
    await run.waitFor(/Press Ctrl-C to stop/);
    run.child.kill('SIGINT');
    await run.exit();
    expect(run.stderr()).toContain('listening on all interfaces');
  });

  it('starts with a malformed mcp.json, names the problem, and leaves the file alone', async () => {
    const dir = storage();
    const broken = '{"mcpServers": {"Bad Name": {"type": "http", "url": "ftp://x"}}';
    writeFileSync(join(dir, 'mcp.json'), broken);
    const run = runCli(['--port', '0', '--storage-dir', dir]);
    const output = await run.waitFor(/Press Ctrl-C to stop/);
    run.child.kill('SIGINT');
    await run.exit();
    expect(output).toContain('is invalid, so the last good configuration stays in effect');
    expect(output).toMatch(/not valid JSON/);
    expect(readFileSync(join(dir, 'mcp.json'), 'utf8')).toBe(broken);
  });
});
