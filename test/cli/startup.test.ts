import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * Startup takes the port and the storage dir before it runs anything: a start that fails runs no stdio
 * server and writes no record, and a second gateway on the same storage dir is refused.
 */
describe('gateway startup', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A storage dir whose mcp.json has one stdio server that appends a line to `started` when it runs. */
  const storageWithStdio = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-startup-'));
    dirs.push(dir);
    const marker = join(dir, 'started');
    writeFileSync(
      join(dir, 'mcp.json'),
      JSON.stringify({
        mcpServers: {
          marker: { type: 'stdio', command: '/bin/sh', args: ['-c', `echo run >> ${marker}; exec cat`] },
        },
      }),
    );
    return {
      dir,
      starts: () => (existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').length - 1 : 0),
    };
  };

  it('with its port taken, exits before starting any stdio server or writing a record', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const { dir, starts } = storageWithStdio();
    const run = runCli(['--port', String(port), '--storage-dir', dir]);
    expect(await run.exit()).toBe(1);
    blocker.close();
    expect(run.stderr()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    await new Promise((r) => setTimeout(r, 300));
    expect(starts()).toBe(0);
    expect(statSync(join(dir, 'logs.db')).size).toBe(0);
    expect(existsSync(join(dir, 'gateway.lock'))).toBe(false);
  });

  it('with a --host that does not resolve, exits 2 before starting any stdio server', async () => {
    const { dir, starts } = storageWithStdio();
    const run = runCli(['--port', '0', '--host', '0.0.0.0x', '--storage-dir', dir]);
    expect(await run.exit()).toBe(2);
    expect(run.stderr()).toMatch(/cannot listen on 0\.0\.0\.0x/);
    await new Promise((r) => setTimeout(r, 300));
    expect(starts()).toBe(0);
  });

  it('refuses a second gateway on the same storage dir, naming the running one; wrap still works beside it', async () => {
    const { dir, starts } = storageWithStdio();
    const first = runCli(['--port', '0', '--storage-dir', dir]);
    const banner = await first.waitFor(/Press Ctrl-C to stop/);
    const port = /localhost:(\d+)/.exec(banner)?.[1];
    await expect.poll(starts, { timeout: 10_000 }).toBe(1);
    const lock = JSON.parse(readFileSync(join(dir, 'gateway.lock'), 'utf8')) as { pid: number; port: number };
    expect(lock).toMatchObject({ pid: first.child.pid, port: Number(port) });

    const second = runCli(['--port', '0', '--storage-dir', dir]);
    expect(await second.exit()).toBe(1);
    expect(second.stderr()).toContain(`another gateway (pid ${first.child.pid} at http://localhost:${port})`);
    expect(second.stderr()).toContain('another --storage-dir');
    expect(second.stderr().trim().split('\n')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(starts()).toBe(1);

    // wrap is a separate tool: it records into the same logs.db while the gateway runs.
    const wrap = runCli(['wrap', '--storage-dir', dir, '--', process.execPath, '-e', 'process.exit(0)']);
    expect(await wrap.exit()).toBe(0);
    expect(wrap.stderr()).not.toMatch(/another gateway/);

    first.child.kill('SIGINT');
    expect(await first.exit()).toBe(0);
    expect(existsSync(join(dir, 'gateway.lock'))).toBe(false);
  });

  it('takes over the lock of a gateway that is no longer running, with a note', async () => {
    const { dir } = storageWithStdio();
    const dead = spawnSync(process.execPath, ['-e', '0']);
    writeFileSync(
      join(dir, 'gateway.lock'),
      JSON.stringify({ pid: dead.pid, port: 1, url: 'http://localhost:1' }),
    );
    const run = runCli(['--port', '0', '--storage-dir', dir]);
    const output = await run.waitFor(/Press Ctrl-C to stop/);
    expect(output).toContain(`the gateway that held it (pid ${dead.pid}) is no longer running`);
    run.child.kill('SIGINT');
    expect(await run.exit()).toBe(0);
  });
});
