import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import { runCli } from '../helpers/cli.js';
import { startTestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';

const GARBAGE = 'this was never a database\n'.repeat(400);

/** A logs.db SQLite cannot read is moved aside, named, and replaced; the gateway goes on proxying. */
describe('a corrupt logs.db', () => {
  const dirs: string[] = [];
  let upstream: SdkServer;

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
  });

  afterAll(async () => {
    await upstream?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const corruptStorage = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-corrupt-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'logs.db'), GARBAGE, { mode: 0o600 });
    writeFileSync(join(dir, 'logs.db-wal'), 'stale wal', { mode: 0o600 });
    return dir;
  };

  const asideFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('logs.db.corrupt-'));

  it('is moved aside with its -wal; the gateway starts fresh, proxies, captures and says what it did', async () => {
    const dir = corruptStorage();
    const gw = await startTestGateway({
      storageDir: dir,
      servers: { fixture: { type: 'http', url: upstream.url } },
    });
    try {
      const aside = asideFiles(dir);
      expect(aside).toHaveLength(2);
      const moved = aside.find((f) => !f.endsWith('-wal')) as string;
      expect(aside).toContain(`${moved}-wal`);
      expect(readFileSync(join(dir, moved), 'utf8')).toBe(GARBAGE);
      const note = gw.messages.find((m) => m.includes('is not a readable SQLite database')) ?? '';
      expect(note).toContain(join(dir, 'logs.db'));
      expect(note).toContain(join(dir, moved));

      const client = await connectClient(gw.proxyUrl('fixture'));
      const result = await client.client.callTool({ name: 'echo', arguments: { message: 'still here' } });
      expect(JSON.stringify(result)).toContain('Echo: still here');
      await client.client.close();
      const records = await gw.records((r) => r.method === 'tools/call');
      expect(records.length).toBeGreaterThan(0);
    } finally {
      await gw.stop();
    }
  });

  it('does the same under wrap, where the server still runs and its exit code is kept', async () => {
    const dir = corruptStorage();
    const run = runCli(['wrap', '--storage-dir', dir, '--', process.execPath, '-e', 'process.exit(3)']);
    expect(await run.exit()).toBe(3);
    expect(run.stderr()).toMatch(
      /logs\.db is not a readable SQLite database .*moved it to .*logs\.db\.corrupt-/,
    );
    expect(asideFiles(dir)).toHaveLength(2);
    expect(existsSync(join(dir, 'logs.db'))).toBe(true);
    expect(readFileSync(join(dir, 'logs.db')).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});
