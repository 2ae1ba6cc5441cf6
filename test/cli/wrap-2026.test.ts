import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRecord } from '../../src/core/record.js';
import { openDatabase } from '../../src/store/database.js';
import { type RecordRow, rowToRecord } from '../../src/store/rows.js';
import { cliCommand, v2StdioServer, waitFor } from '../helpers/stdio.js';

function storedRecords(storageDir: string): CapturedRecord[] {
  const db = openDatabase(join(storageDir, 'logs.db'), { readonly: true });
  try {
    return (db.prepare('SELECT * FROM records ORDER BY id').all() as RecordRow[]).map(rowToRecord);
  } finally {
    db.close();
  }
}

/** An SDK v2 client pinned to MCP 2026-07-28, launching `command` as its stdio server. */
async function modernClient(command: string, args: string[]) {
  const client = new Client(
    { name: 'modern-desktop', version: '4.2.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new StdioClientTransport({ command, args, stderr: 'pipe' }));
  return client;
}

describe('mcp-gateway wrap with an MCP 2026-07-28 client', { timeout: 60_000 }, () => {
  let dir: string;
  const server = v2StdioServer('serve');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-wrap26-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers as the server does directly, and records who spoke, in which protocol version', async () => {
    const direct = await modernClient(server.command, server.args);
    const directTools = await direct.listTools();
    const directEcho = await direct.callTool({ name: 'echo', arguments: { message: 'héllo ☃' } });
    await direct.close();

    const storageDir = join(dir, 'store');
    const wrapped = cliCommand('wrap', '--storage-dir', storageDir, '--', server.command, ...server.args);
    const client = await modernClient(wrapped.command, wrapped.args);
    expect(await client.listTools()).toEqual(directTools);
    expect(await client.callTool({ name: 'echo', arguments: { message: 'héllo ☃' } })).toEqual(directEcho);
    await client.close();

    const records = await waitFor('the tools/call answer in logs.db', () => {
      const stored = storedRecords(storageDir);
      return stored.some((r) => r.method === 'tools/call' && r.kind === 'response') ? stored : undefined;
    });
    const call = records.find((r) => r.method === 'tools/call' && r.kind === 'request');
    const answer = records.find((r) => r.method === 'tools/call' && r.kind === 'response');
    for (const record of [call, answer]) {
      expect(record?.protocolVersion).toBe('2026-07-28');
      expect(record?.clientName).toBe('modern-desktop');
      expect(record?.clientVersion).toBe('4.2.0');
    }
    expect(answer?.serverName).toBe('v2-stdio-fixture');
    expect(answer?.partnerId).toBe(call?.id);
    // A stdio server's process is its session: the client's calls share the one the wrap started.
    const calls = records.filter((r) => r.method?.startsWith('tools/'));
    expect(calls).toHaveLength(4);
    expect(new Set(calls.map((r) => r.sessionId))).toEqual(new Set([call?.sessionId]));
  });
});
