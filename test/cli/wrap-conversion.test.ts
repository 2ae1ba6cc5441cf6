import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, describe, expect, it } from 'vitest';
import { markForWrap } from '../../src/storage/wrap-lock.js';
import { fileKind } from '../../src/store/cipher.js';
import { openDatabase } from '../../src/store/database.js';
import { BIN, runCli } from '../helpers/cli.js';
import { everythingCommand } from '../helpers/stdio.js';

const KEY = 'conversion passphrase';
const root = mkdtempSync(join(tmpdir(), 'mcp-gateway-wrap-convert-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A plain store big enough (~100 MiB) that converting it takes seconds, not milliseconds. */
function bigPlainStore(dir: string): string {
  const path = join(dir, 'logs.db');
  const db = openDatabase(path, { migrate: true });
  db.exec(`CREATE TABLE padding (bytes BLOB);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
    INSERT INTO padding SELECT randomblob(1048576) FROM n;`);
  db.close();
  return path;
}

function wrapClient(dir: string, stderr: (text: string) => void) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'wrap', '--storage-dir', dir, '--', everythingCommand.command, ...everythingCommand.args],
    env: { ...(process.env as Record<string, string>), MCP_GATEWAY_DB_KEY: KEY },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => stderr(chunk.toString()));
  return transport;
}

describe('mcp-gateway wrap beside a db conversion', () => {
  it('a wrap started while db encrypt rewrites logs.db waits for it, then records into the encrypted store', async () => {
    const storageDir = mkdtempSync(join(root, 'store-'));
    const path = bigPlainStore(storageDir);
    const conversion = runCli(['db', 'encrypt', '--storage-dir', storageDir], { MCP_GATEWAY_DB_KEY: KEY });
    await conversion.waitFor(/Encrypting/);

    let wrapErr = '';
    const client = new Client({ name: 'desktop-app', version: '1.0.0' });
    await client.connect(wrapClient(storageDir, (text) => (wrapErr += text)));
    // The conversion was over before the server was started for the client.
    expect(conversion.child.exitCode).toBe(0);
    expect(conversion.stdout()).toMatch(/Encrypted .*logs\.db .* in [\d.]+ s\./);
    expect(wrapErr).toMatch(
      /mcp-gateway wrap: waiting for mcp-gateway db encrypt \(pid \d+\) to finish converting logs\.db/,
    );
    const marker = `during-conversion-${randomUUID()}`;
    await client.callTool({ name: 'echo', arguments: { message: marker } });
    await client.close();
    await new Promise((r) => setTimeout(r, 1000)); // wrap flushes its captures as it exits
    expect(wrapErr).not.toMatch(/capture is off/);

    expect(fileKind(path)).toBe('encrypted');
    const db = openDatabase(path, { readonly: true, key: { passphrase: KEY, source: 'test' } });
    try {
      const rows = db.prepare('SELECT method FROM records WHERE message LIKE ?').all(`%${marker}%`);
      expect(rows).toEqual([{ method: 'tools/call' }, { method: 'tools/call' }]);
    } finally {
      db.close();
    }
  }, 120_000);

  it('db encrypt refuses while a wrap records into the store, naming it, and leaves the store as it was', async () => {
    const storageDir = mkdtempSync(join(root, 'busy-'));
    const db = openDatabase(join(storageDir, 'logs.db'), { migrate: true });
    db.close();
    const client = new Client({ name: 'desktop-app', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        BIN,
        'wrap',
        '--storage-dir',
        storageDir,
        '--',
        everythingCommand.command,
        ...everythingCommand.args,
      ],
      stderr: 'pipe',
    });
    await client.connect(transport);
    try {
      const run = runCli(['db', 'encrypt', '--storage-dir', storageDir], { MCP_GATEWAY_DB_KEY: KEY });
      expect(await run.exit()).toBe(1);
      expect(run.stderr()).toMatch(
        /^mcp-gateway: mcp-gateway wrap \(pid \d+\) is recording into .*logs\.db: close the MCP client that runs it, then run mcp-gateway db encrypt again\n$/,
      );
      expect(fileKind(join(storageDir, 'logs.db'))).toBe('plain');
    } finally {
      await client.close();
    }
  }, 60_000);

  it('a wrap gives up with one clear line when a conversion holds the dir past its wait, leaving no mark', async () => {
    const storageDir = mkdtempSync(join(root, 'held-'));
    writeFileSync(
      join(storageDir, 'gateway.lock'),
      JSON.stringify({ pid: process.pid, port: null, url: null, task: 'mcp-gateway db rekey' }),
    );
    const waited: number[] = [];
    await expect(
      markForWrap(storageDir, { waitMs: 1000, pollMs: 50, onWait: (holder) => waited.push(holder.pid) }),
    ).rejects.toThrow(
      new RegExp(
        `^mcp-gateway db rekey \\(pid ${process.pid}\\) is still converting .*logs\\.db after 1 s; nothing was started\\. Start this again when it has finished$`,
      ),
    );
    expect(waited).toEqual([process.pid]);
    expect(readdirSync(storageDir)).toEqual(['gateway.lock']);
  });
});
