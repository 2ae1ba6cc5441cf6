import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

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

  it('refuses to start on PostgreSQL until that store is wired in, rather than capturing into SQLite', async () => {
    const dir = storageDir();
    const run = runCli([
      '--port',
      '0',
      '--storage-dir',
      dir,
      '--store',
      'postgres://alice:s3cret@127.0.0.1:5432/gw',
    ]);
    expect(await run.exit()).toBe(2);
    const lines = run.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('postgres://alice:***@127.0.0.1:5432/gw');
    expect(run.stdout() + run.stderr()).not.toContain('s3cret');
    expect(existsSync(join(dir, 'logs.db'))).toBe(false);
  });

  it('does the same for MCP_GATEWAY_STORE', async () => {
    const dir = storageDir();
    const run = runCli(['--port', '0', '--storage-dir', dir], {
      MCP_GATEWAY_STORE: 'postgresql://alice:s3cret@127.0.0.1/gw',
    });
    expect(await run.exit()).toBe(2);
    expect(run.stderr()).toContain('postgresql://alice:***@127.0.0.1/gw');
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
