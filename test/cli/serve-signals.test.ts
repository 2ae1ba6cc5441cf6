import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliCommand, isAlive, stdioServers, waitFor } from '../helpers/stdio.js';

/** The gateway as a user runs it, stopped with Ctrl-C or by a service manager. */
describe.each(['SIGINT', 'SIGTERM'] as const)('the gateway stopped with %s', (signal) => {
  it('stops its stdio server processes before it exits: none is left behind', async () => {
    const storageDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-signal-'));
    writeFileSync(
      join(storageDir, 'mcp.json'),
      JSON.stringify({ mcpServers: { fixture: stdioServers.fixture() } }),
      {
        mode: 0o600,
      },
    );
    const { command, args } = cliCommand('--port', '0', '--storage-dir', storageDir);
    const gateway = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    gateway.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    gateway.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      const pid = await waitFor('the stdio server to run', () => {
        const match = /stdio server fixture: running \(pid (\d+)\)/.exec(output);
        return match ? Number(match[1]) : undefined;
      });
      expect(isAlive(pid)).toBe(true);
      const exited = new Promise<number | null>((resolve) => gateway.once('exit', resolve));
      gateway.kill(signal);
      expect(await exited).toBe(0);
      expect(isAlive(pid)).toBe(false);
      expect(output).toContain('stdio server fixture: stopped');
    } finally {
      if (gateway.exitCode === null) gateway.kill('SIGKILL');
      rmSync(storageDir, { recursive: true, force: true });
    }
  });
});
