import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { BIN } from '../helpers/cli.js';
import { v2StdioServer, waitFor } from '../helpers/stdio.js';

/**
 * The SDK's own stdio transport probes server/discover in a sibling process it kills a second after
 * SIGTERM, which on a loaded machine can be before that wrap process has written its captures. A subclass
 * probes on the session's own process instead, so the recording holds its opening.
 */
class InPlaceStdioTransport extends StdioClientTransport {}

/** An SDK v2 client pinned to MCP 2026-07-28 (no initialize: server/discover and per-request _meta). */
async function modernClient(command: string, args: string[]): Promise<Client> {
  const client = new Client(
    { name: 'modern-app', version: '2.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new InPlaceStdioTransport({ command, args, stderr: 'ignore' }));
  return client;
}

describe('mcp-gateway mock of an MCP 2026-07-28 recording', { timeout: 150_000 }, () => {
  let dir: string;
  const server = v2StdioServer('reject');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-mock26-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens with the recorded server/discover answer and replays the calls as the server answered them', async () => {
    const storageDir = join(dir, 'store');
    // The built CLI, as a client's config runs it: from the sources, tsx's transform of the capture
    // threads on a loaded machine can take longer than the 4 s the SDK's close grants before SIGKILL.
    const recorded = await modernClient(process.execPath, [
      BIN,
      'wrap',
      '--storage-dir',
      storageDir,
      '--',
      server.command,
      ...server.args,
    ]);
    const tools = await recorded.listTools();
    const echo = await recorded.callTool({ name: 'echo', arguments: { message: 'héllo ☃' } });
    await recorded.close();

    const sessionId = await waitFor(
      'the tools/call answer in logs.db',
      () => {
        const db = openDatabase(join(storageDir, 'logs.db'), { readonly: true });
        try {
          const row = db
            .prepare("SELECT session_id FROM records WHERE method = 'tools/call' AND kind = 'response'")
            .get() as { session_id: string } | undefined;
          const discovered = db
            .prepare("SELECT 1 FROM records WHERE method = 'server/discover' AND kind = 'response'")
            .get();
          return discovered ? row?.session_id : undefined;
        } finally {
          db.close();
        }
      },
      60_000,
    );

    const mocked = await modernClient(process.execPath, [
      BIN,
      'mock',
      '--from',
      sessionId,
      '--storage-dir',
      storageDir,
      '--stdio',
    ]);
    expect(await mocked.listTools()).toEqual(tools);
    expect(await mocked.callTool({ name: 'echo', arguments: { message: 'héllo ☃' } })).toEqual(echo);
    await mocked.close();
  });
});
