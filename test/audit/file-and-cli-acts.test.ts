import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Entry {
  action: string;
  actor: string;
  source: string;
  target: string | null;
  outcome: string;
}

const DOWN = 'http://127.0.0.1:9/mcp';
let gw: TestGateway | undefined;
let dir: string | undefined;
afterAll(async () => {
  await gw?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function entries(gateway: TestGateway): Promise<Entry[]> {
  const response = await gateway.api('/api/audit?limit=200');
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Entry[] }).data;
}

describe('the audit log beyond the API', { timeout: 120_000 }, () => {
  it('records hand edits of mcp.json as the owner, once, and not the gateway own writes twice', async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-file-'));
    gw = await startTestGateway({ storageDir: dir });
    const path = join(dir, 'mcp.json');
    // A new storage dir has no mcp.json until someone writes one: here, by hand.
    const edited = { mcpServers: { 'by-hand': { type: 'http', url: DOWN } }, redaction: { keys: ['ssn'] } };
    writeFileSync(path, JSON.stringify(edited, null, 2), { mode: 0o600 });
    const running = gw;
    await expect
      .poll(async () => (await entries(running)).filter((e) => e.source === 'file').map((e) => e.action), {
        timeout: 15_000,
      })
      .toEqual(expect.arrayContaining(['server.add', 'settings.update']));
    const fromFile = (await entries(running)).filter((e) => e.source === 'file');
    expect(fromFile.find((e) => e.action === 'server.add')).toMatchObject({
      actor: 'owner (mcp.json)',
      target: 'by-hand',
      outcome: 'ok',
    });

    // A server added through the API is its own entry, never a second one as a file edit.
    const added = await running.api('/api/servers/config', {
      method: 'POST',
      body: JSON.stringify({ name: 'by-api', type: 'http', url: DOWN }),
    });
    expect(added.status).toBe(201);
    await expect
      .poll(async () => (await entries(running)).filter((e) => e.target === 'by-api').length)
      .toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await entries(running)).filter((e) => e.target === 'by-api')).toEqual([
      expect.objectContaining({ action: 'server.add', source: expect.not.stringMatching(/^(file|cli)$/) }),
    ]);
  });

  it('records token changes made with the CLI, from this machine, as the owner', async () => {
    if (!gw || !dir) throw new Error('the first test starts the gateway');
    const run = runCli(['token', 'create', '--name', 'ci-bot', '--role', 'viewer', '--storage-dir', dir]);
    expect(await run.exit()).toBe(0);
    const revoke = runCli(['token', 'revoke', 'ci-bot', '--storage-dir', dir]);
    expect(await revoke.exit()).toBe(0);
    const running = gw;
    await expect
      .poll(async () =>
        (await entries(running)).filter((e) => e.target === 'ci-bot').map((e) => [e.action, e.source]),
      )
      .toEqual(
        expect.arrayContaining([
          ['token.create', 'cli'],
          ['token.revoke', 'cli'],
        ]),
      );
    const created = (await entries(running)).find((e) => e.action === 'token.create');
    expect(created?.actor).toMatch(/^owner/);
  });
});
