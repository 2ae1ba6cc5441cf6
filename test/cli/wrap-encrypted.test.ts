import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, describe, expect, it } from 'vitest';
import { fileKind } from '../../src/store/cipher.js';
import { openDatabase } from '../../src/store/database.js';
import { cliCommand, everythingCommand } from '../helpers/stdio.js';

const root = mkdtempSync(join(tmpdir(), 'mcp-gateway-wrap-key-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('mcp-gateway wrap with a store key', () => {
  it('records a stdio session into an encrypted logs.db, with the key from --db-key-file', async () => {
    const storageDir = join(root, 'store');
    const keyFile = join(root, 'key');
    writeFileSync(keyFile, 'wrap passphrase\n', { mode: 0o600 });
    const { command, args } = cliCommand(
      'wrap',
      '--storage-dir',
      storageDir,
      '--db-key-file',
      keyFile,
      '--',
      everythingCommand.command,
      ...everythingCommand.args,
    );
    const client = new Client({ name: 'desktop-app', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command, args, stderr: 'pipe' }));
    const marker = `wrapped-${Date.now()}`;
    await client.callTool({ name: 'echo', arguments: { message: marker } });
    await client.close();
    // wrap stores its last captures as it exits: wait for them rather than for a fixed time.
    const key = { passphrase: 'wrap passphrase', source: 'test' } as const;
    const readMarked = () => {
      const db = openDatabase(join(storageDir, 'logs.db'), { readonly: true, key });
      try {
        return db.prepare('SELECT method FROM records WHERE message LIKE ?').all(`%${marker}%`);
      } finally {
        db.close();
      }
    };
    await expect
      .poll(readMarked, { timeout: 20_000, interval: 250 })
      .toEqual([{ method: 'tools/call' }, { method: 'tools/call' }]);

    expect(fileKind(join(storageDir, 'logs.db'))).toBe('encrypted');
    for (const file of readdirSync(storageDir)) {
      expect(readFileSync(join(storageDir, file)).includes(marker), file).toBe(false);
    }
  });
});
