import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';

describe('mcp-gateway --store', () => {
  const dirs: string[] = [];
  const storageDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-store-option-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('names the PostgreSQL store it cannot reach in one line, password masked, and exits 2', async () => {
    const dir = storageDir();
    // A free port: nothing answers there.
    const port = await freePort();
    const run = runCli([
      '--port',
      '0',
      '--storage-dir',
      dir,
      '--store',
      `postgres://alice:s3cret@127.0.0.1:${port}/gw`,
    ]);
    expect(await run.exit()).toBe(2);
    const lines = run.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cannot reach the PostgreSQL store at postgres://alice@127.0.0.1:${port}/gw`);
    expect(lines[0]).toContain('check --store');
    expect(run.stdout() + run.stderr()).not.toContain('s3cret');
    // Nothing is captured into SQLite instead.
    expect(existsSync(join(dir, 'logs.db'))).toBe(false);
  });

  it('does the same for MCP_GATEWAY_STORE', async () => {
    const dir = storageDir();
    const port = await freePort();
    const run = runCli(['--port', '0', '--storage-dir', dir], {
      MCP_GATEWAY_STORE: `postgresql://alice:s3cret@127.0.0.1:${port}/gw`,
    });
    expect(await run.exit()).toBe(2);
    expect(run.stderr()).toContain(
      `cannot reach the PostgreSQL store at postgresql://alice@127.0.0.1:${port}/gw`,
    );
    expect(run.stdout() + run.stderr()).not.toContain('s3cret');
    expect(existsSync(join(dir, 'logs.db'))).toBe(false);
  });

  it('rejects a URL of another kind with the forms it accepts (exit 2)', async () => {
    const run = runCli([
      '--port',
      '0',
      '--storage-dir',
      storageDir(),
      '--store',
      'mysql://root:hunter2@db/gw',
    ]);
    expect(await run.exit()).toBe(2);
    expect(run.stderr()).toContain('postgres://user@host:5432/db');
    expect(run.stderr()).not.toContain('hunter2');
  });
});
