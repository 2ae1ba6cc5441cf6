import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CapturedRecord } from '../../src/core/record.js';
import { openDatabase } from '../../src/store/database.js';
import { type RecordRow, rowToRecord } from '../../src/store/rows.js';
import { expectCapturedExactlyOnce } from '../helpers/capture-assertions.js';
import { BIN } from '../helpers/cli.js';
import { startTestGateway } from '../helpers/gateway.js';
import { Recorded } from '../helpers/recording-transport.js';
import { cliCommand, everythingCommand, isAlive, waitFor } from '../helpers/stdio.js';

function storedRecords(storageDir: string): CapturedRecord[] {
  const db = openDatabase(join(storageDir, 'logs.db'), { readonly: true });
  try {
    return (db.prepare('SELECT * FROM records ORDER BY id').all() as RecordRow[]).map(rowToRecord);
  } finally {
    db.close();
  }
}

/** A stdio client (the SDK's, as Claude Desktop or Cursor would be) launching a server through wrap. */
async function wrappedClient(storageDir: string, ...extra: string[]) {
  // The built CLI, as a client's config runs it: from the sources, tsx's transform of the capture threads
  // on a loaded machine can outlast the 4 s the SDK's close grants before SIGKILL, and the captures are lost.
  const command = process.execPath;
  const args = [
    BIN,
    'wrap',
    '--storage-dir',
    storageDir,
    ...extra,
    '--',
    everythingCommand.command,
    ...everythingCommand.args,
  ];
  const transport = new Recorded(new StdioClientTransport({ command, args, stderr: 'pipe' }));
  // No roots capability: server-everything would ask for roots while the client closes, and a reply
  // written after close never reaches the wire (nor the store).
  const client = new Client({ name: 'desktop-app', version: '3.1.4' }, { capabilities: { sampling: {} } });
  await client.connect(transport);
  return { client, transport };
}

describe('mcp-gateway wrap', () => {
  let storageDir: string;

  beforeEach(() => {
    storageDir = join(mkdtempSync(join(tmpdir(), 'mcp-gateway-wrap-')), 'store');
  });

  afterEach(() => {
    rmSync(join(storageDir, '..'), { recursive: true, force: true });
  });

  it('runs the server for a stdio client and records the whole session when no gateway is running', async () => {
    const { client, transport } = await wrappedClient(storageDir);
    const wrapPid = transport.inner.pid as number;
    expect((await client.callTool({ name: 'echo', arguments: { message: 'wrapped' } })).content).toEqual([
      { type: 'text', text: 'Echo: wrapped' },
    ]);
    await client.listTools();
    await client.close();
    await waitFor('wrap to exit', () => !isAlive(wrapPid));

    const records = storedRecords(storageDir);
    const sessions = new Set(records.map((r) => r.sessionId));
    expect(sessions.size).toBe(1);
    const sessionId = [...sessions][0] as string;
    expect(records.every((r) => r.server === 'server-everything' && r.transport === 'stdio')).toBe(true);
    expectCapturedExactlyOnce(records, transport, sessionId);
    const call = records.find((r) => r.kind === 'request' && r.method === 'tools/call');
    const answer = records.find((r) => r.kind === 'response' && r.method === 'tools/call');
    expect(call?.clientName).toBe('desktop-app');
    expect(answer?.partnerId).toBe(call?.id);
    expect(answer?.summary).toBe('Echo: wrapped');
    expect(
      records.some((r) => r.kind === 'stderr' && r.message.includes('Starting default (STDIO) server')),
    ).toBe(true);
    // Created private, like the gateway's own storage.
    expect(statSync(storageDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(storageDir, 'logs.db')).mode & 0o777).toBe(0o600);
  });

  it('records into the store of a gateway running on the same storage dir, where its API shows the session', async () => {
    const gw = await startTestGateway({ storageDir });
    try {
      const { client } = await wrappedClient(storageDir, '--name', 'notes');
      await client.callTool({ name: 'echo', arguments: { message: 'next to a gateway' } });
      await client.close();
      // wrap writes its last captures after the client has gone; on a loaded machine that can take a while.
      const found = await waitFor(
        'the wrapped session in the API',
        async () => {
          const response = await gw.api('/api/logs?server=notes&method=tools/call&order=asc');
          const body = (await response.json()) as { data: { kind: string; summary: string }[] };
          return body.data.length >= 2 ? body.data : undefined;
        },
        60_000,
      );
      expect(found.map((r) => [r.kind, r.summary])).toEqual([
        ['request', 'echo(message: next to a gateway)'],
        ['response', 'Echo: next to a gateway'],
      ]);
    } finally {
      await gw.stop();
    }
  });

  it('relays stdin and stdout byte for byte and writes nothing else to stdout', async () => {
    // `cat` echoes its input: whatever wrap adds, drops or changes shows up as a difference.
    const payload = Buffer.concat([randomBytes(256 * 1024), Buffer.from('\nlast line without newline')]);
    const { command, args } = cliCommand('wrap', '--storage-dir', storageDir, '--', 'cat');
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stdin.end(payload);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    expect(Buffer.concat(out).equals(payload)).toBe(true);
    expect(storedRecords(storageDir).some((r) => r.server === 'cat' && r.kind === 'other')).toBe(true);
  });

  it('exits with the code 127 and says why on stderr when the command does not exist', async () => {
    const { command, args } = cliCommand(
      'wrap',
      '--storage-dir',
      storageDir,
      '--',
      'mcp-gateway-no-such-server',
    );
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(127);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/mcp-gateway wrap: command "mcp-gateway-no-such-server" was not found/);
  });

  it('redacts secrets as the gateway does, with the redaction settings of the storage dir', async () => {
    mkdirSync(storageDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(storageDir, 'mcp.json'),
      JSON.stringify({ mcpServers: {}, redaction: { keys: ['ssn'] } }),
      {
        mode: 0o600,
      },
    );
    const { client, transport } = await wrappedClient(storageDir);
    const wrapPid = transport.inner.pid as number;
    await client.callTool({
      name: 'echo',
      arguments: { message: 'key sk-live-4eC39HqLyjWDarjtT1zdp7dc', ssn: '078-05-1120' },
    });
    await client.close();
    await waitFor('wrap to exit', () => !isAlive(wrapPid));

    const call = storedRecords(storageDir).find((r) => r.kind === 'request' && r.method === 'tools/call');
    expect(JSON.parse(call?.message ?? '{}').params.arguments).toEqual({
      message: 'key [REDACTED:api_key]',
      ssn: '[REDACTED:ssn]',
    });
    const all = JSON.stringify(storedRecords(storageDir));
    expect(all).not.toContain('sk-live-4eC39HqLyjWDarjtT1zdp7dc');
    expect(all).not.toContain('078-05-1120');
  });
});
