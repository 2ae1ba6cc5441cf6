import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';

/** A real small file system (tmpfs), when this machine lets the tests mount one (root, no sandbox). */
function mountTinyFileSystem(dir: string): boolean {
  if (process.platform !== 'linux') return false;
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir]);
  return result.status === 0;
}

/** Takes every free byte: the next write anywhere on this file system fails with ENOSPC. */
function fillUp(dir: string): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const block = Buffer.alloc(16 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  const byte = Buffer.alloc(1, 1);
  try {
    for (;;) writeSync(fd, byte);
  } catch {
    // Not even one byte more.
  } finally {
    closeSync(fd);
  }
}

const mountPoint = mkdtempSync(join(tmpdir(), 'mcp-gateway-tinyfs-'));
const mounted = mountTinyFileSystem(mountPoint);
if (!mounted) rmSync(mountPoint, { recursive: true, force: true });

describe.skipIf(!mounted)('a full disk (a real 4 MiB tmpfs)', () => {
  let upstream: SdkServer;
  let gw: TestGateway;
  const storageDir = join(mountPoint, 'storage');

  beforeAll(async () => {
    mkdirSync(storageDir, { mode: 0o700 });
    upstream = await startSdkServer({ json: true });
    gw = await startTestGateway({ storageDir, servers: { fixture: { type: 'http', url: upstream.url } } });
  });

  afterAll(async () => {
    await gw?.stop();
    await upstream?.stop();
    spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('answers 507 naming the cause when mcp.json cannot be saved, and leaves no stray file', async () => {
    const before = readFileSync(join(storageDir, 'mcp.json'), 'utf8');
    fillUp(mountPoint);
    const response = await gw.api('/api/servers/config', {
      method: 'POST',
      body: JSON.stringify({ name: 'other', type: 'http', url: 'http://127.0.0.1:1/mcp' }),
    });
    expect(response.status).toBe(507);
    const body = (await response.json()) as { error: string };
    expect(body.error).toContain('the disk is full (ENOSPC)');
    expect(body.error).toContain('free some disk space');
    expect(readdirSync(storageDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(join(storageDir, 'mcp.json'), 'utf8')).toBe(before);
  });

  it('keeps proxying while capture cannot write, and /api/status tells stored from failed', async () => {
    const status = async () =>
      (
        (await (await gw.api('/api/status')).json()) as {
          records: { captured: number; stored: number; failed: number; dropped: number };
        }
      ).records;
    const storedBefore = (await status()).stored;
    const client = await connectClient(gw.proxyUrl('fixture'));
    for (let i = 0; i < 20 && (await status()).failed === 0; i++) {
      const result = await client.client.callTool({ name: 'big', arguments: { bytes: 200_000 } });
      expect(JSON.stringify(result).length).toBeGreaterThan(200_000);
      await gw.gateway.flushCapture();
    }
    await client.client.close();
    const after = await status();
    expect(after.failed).toBeGreaterThan(0);
    expect(after.captured).toBe(after.stored + after.failed);
    expect(after.stored).toBeGreaterThanOrEqual(storedBefore);
    expect(gw.messages.join('\n')).toMatch(/could not store captured messages: .*full/);
  }, 60_000);
});
