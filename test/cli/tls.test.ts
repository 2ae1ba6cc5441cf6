import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// Each test starts the built CLI several times; on a busy machine that takes a while.
describe('mcp-gateway with TLS and exposure flags', { timeout: 120_000 }, () => {
  const dirs: string[] = [];
  const storage = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-tls-cli-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function start(
    args: string[],
    whileRunning?: () => Promise<void>,
  ): Promise<{ out: string; err: string }> {
    const run = runCli(['--port', '0', ...args]);
    await run.waitFor(/Press Ctrl-C to stop/, 30_000);
    await whileRunning?.();
    run.child.kill('SIGINT');
    expect(await run.exit()).toBe(0);
    return { out: run.stdout(), err: run.stderr() };
  }

  it('--tls self-signed: https links, the fingerprint and how to trust it; the same certificate on the next start', async () => {
    const dir = storage();
    let link = '';
    const first = await start(['--tls', 'self-signed', '--storage-dir', dir], async () => {
      const ui = runCli(['ui', '--storage-dir', dir]);
      expect(await ui.exit()).toBe(0);
      link = ui.stdout();
    });
    // `mcp-gateway ui` gives the same https link as the banner, for when the terminal is gone.
    expect(link).toMatch(/^https:\/\/localhost:\d+\/ui\?token=/);
    expect(first.out).toContain(link.trim());
    expect(first.out).toMatch(/Listening {3}https:\/\/127\.0\.0\.1:\d+/);
    expect(first.out).toMatch(/Web UI {6}https:\/\/localhost:\d+\/ui\?token=/);
    expect(first.out).toContain('TLS         self-signed (new: none was stored yet)');
    expect(first.out).toContain(`Trust it: Node clients NODE_EXTRA_CA_CERTS=${join(dir, 'tls', 'cert.pem')}`);
    const fingerprint = /SHA-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})/.exec(first.out)?.[1];
    expect(fingerprint).toBeDefined();
    expect(statSync(join(dir, 'tls', 'key.pem')).mode & 0o777).toBe(0o600);

    chmodSync(join(dir, 'tls', 'key.pem'), 0o640);
    const second = await start(['--tls', 'self-signed', '--storage-dir', dir]);
    expect(second.out).toContain('TLS         self-signed (reused)');
    expect(second.out).toContain(`SHA-256 ${fingerprint}`);
    expect(second.err).toContain(
      `${join(dir, 'tls', 'key.pem')} was readable by others (mode 640); tightened it to 600`,
    );
    expect(statSync(join(dir, 'tls', 'key.pem')).mode & 0o777).toBe(0o600);
  });

  it('exits 2 with one line for unreadable or unmatched PEM files, and for a half pair', async () => {
    const dir = storage();
    const missing = runCli([
      '--port',
      '0',
      '--storage-dir',
      dir,
      '--tls-cert',
      join(dir, 'no.pem'),
      '--tls-key',
      join(dir, 'no.key'),
    ]);
    expect(await missing.exit()).toBe(2);
    expect(missing.stderr()).toBe(
      `mcp-gateway: cannot read the TLS certificate ${join(dir, 'no.pem')} (no such file): check the path given with --tls-cert\n`,
    );
    const half = runCli(['--port', '0', '--storage-dir', dir], {
      MCP_GATEWAY_TLS_CERT: join(dir, 'cert.pem'),
    });
    expect(await half.exit()).toBe(2);
    expect(half.stderr()).toBe(
      'mcp-gateway: HTTPS needs both a certificate and its private key: add --tls-key (MCP_GATEWAY_TLS_KEY), or use --tls self-signed\n',
    );
    const wrongMode = runCli(['--port', '0', '--storage-dir', dir, '--tls', 'letsencrypt']);
    expect(await wrongMode.exit()).toBe(2);
    expect(wrongMode.stderr()).toContain('invalid --tls "letsencrypt": the only mode is "self-signed"');
  });

  it('warns what is exposed when bound to all interfaces without TLS or --proxy-auth', async () => {
    const { err } = await start(['--host', '0.0.0.0', '--storage-dir', storage()]);
    expect(err).toContain(
      'warning: listening on all interfaces (0.0.0.0): other machines on the network can reach this gateway.',
    );
    expect(err).toContain('Add --tls self-signed, or --tls-cert FILE --tls-key FILE.');
    expect(err).toContain('Add --proxy-auth (clients then send X-MCP-Gateway-Token).');
  });
});
