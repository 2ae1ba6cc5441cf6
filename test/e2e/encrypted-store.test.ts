import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { runCli } from '../helpers/cli.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';

const PASSPHRASE = 'correct horse battery staple';

/** Every file under `dir` (logs.db, its -wal and -shm, mcp.json, anything else) that contains `text`. */
function filesContaining(dir: string, text: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (statSync(path).isFile() && readFileSync(path).includes(text)) found.push(name);
  }
  return found;
}

function keyFile(dir: string, passphrase = PASSPHRASE): string {
  const path = join(dir, 'store.key');
  writeFileSync(path, `${passphrase}\n`, { mode: 0o600 });
  return path;
}

const fingerprint = (path: string) =>
  existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent';

describe('an encrypted store, with real traffic to server-everything', () => {
  let everything: RunningEverything;
  const dirs: string[] = [];
  const tempDir = (label: string) => {
    const dir = mkdtempSync(join(tmpdir(), `mcp-gateway-${label}-`));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    everything = await startEverything();
  });
  afterAll(async () => {
    await everything?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Echoes a unique marker through the gateway and returns it, once it is captured. */
  async function echoMarker(gw: Awaited<ReturnType<typeof startTestGateway>>): Promise<string> {
    const marker = `marker-${randomUUID()}`;
    const client = await connectClient(gw.proxyUrl('everything'));
    const result = await client.client.callTool({ name: 'echo', arguments: { message: marker } });
    expect(JSON.stringify(result)).toContain(marker);
    await client.client.close();
    expect(await gw.records((r) => r.message.includes(marker))).toHaveLength(2);
    return marker;
  }

  it('keeps no captured string in clear in any file of the storage dir, and reads it back after a restart with the key', async () => {
    const storageDir = tempDir('encrypted');
    const keys = tempDir('keys');
    const servers = { everything: { type: 'http', url: everything.url } };
    const first = await startTestGateway({ storageDir, servers, dbKeyFile: keyFile(keys) });
    let marker: string;
    try {
      marker = await echoMarker(first);
      // While the gateway runs, the last captures sit in the WAL: it is encrypted too.
      expect(existsSync(join(storageDir, 'logs.db-wal'))).toBe(true);
      expect(filesContaining(storageDir, marker)).toEqual([]);
    } finally {
      await first.stop();
    }
    expect(filesContaining(storageDir, marker)).toEqual([]);
    expect(filesContaining(storageDir, 'tools/call')).toEqual([]);

    const again = await startTestGateway({ storageDir, servers, dbKeyFile: keyFile(keys) });
    try {
      const response = await again.api(`/api/logs?filter=${encodeURIComponent(marker)}`);
      const page = (await response.json()) as { data: { method: string }[] };
      expect(page.data.map((r) => r.method)).toEqual(['tools/call', 'tools/call']);
    } finally {
      await again.stop();
    }
  });

  it('(the same traffic into a plain store does leave the marker readable in its files)', async () => {
    const storageDir = tempDir('plain');
    const gw = await startTestGateway({
      storageDir,
      servers: { everything: { type: 'http', url: everything.url } },
    });
    let marker: string;
    try {
      marker = await echoMarker(gw);
    } finally {
      await gw.stop();
    }
    expect(filesContaining(storageDir, marker)).toContain('logs.db');
  });

  it('after a kill -9, a wrong key and a missing key each stop with one line and exit 2, leaving logs.db and its WAL as they were; the right key finds every record', async () => {
    const storageDir = tempDir('killed');
    writeFileSync(
      join(storageDir, 'mcp.json'),
      JSON.stringify({ mcpServers: { everything: { type: 'http', url: everything.url } } }),
      { mode: 0o600 },
    );
    const env = { MCP_GATEWAY_DB_KEY: PASSPHRASE };
    const run = runCli(['--storage-dir', storageDir, '--port', '0'], env);
    const banner = await run.waitFor(/Listening\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(banner).toContain('(logs.db encrypted, key from MCP_GATEWAY_DB_KEY)');
    const port = /Listening\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(banner)?.[1];
    const marker = `marker-${randomUUID()}`;
    const client = await connectClient(`http://127.0.0.1:${port}/s/everything/mcp`);
    await client.client.callTool({ name: 'echo', arguments: { message: marker } });
    await client.client.close();
    await new Promise((r) => setTimeout(r, 500)); // the capture worker commits within milliseconds
    run.child.kill('SIGKILL');
    await run.exit();

    const files = ['logs.db', 'logs.db-wal'].map((f) => join(storageDir, f));
    expect(statSync(files[1] as string).size).toBeGreaterThan(0);
    const before = files.map(fingerprint);
    for (const [env, expected] of [
      [
        { MCP_GATEWAY_DB_KEY: 'not the passphrase' },
        /cannot decrypt .*logs\.db with the key from MCP_GATEWAY_DB_KEY: the key is wrong/,
      ],
      [{}, /logs\.db is encrypted and no key was given: set MCP_GATEWAY_DB_KEY/],
    ] as const) {
      const refused = runCli(['--storage-dir', storageDir, '--port', '0'], env);
      expect(await refused.exit()).toBe(2);
      // (A note that the killed gateway's lock was taken over may come first: that is not the error.)
      const lines = refused
        .stderr()
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('warning: took over'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
      expect(refused.stderr() + refused.stdout()).not.toContain(PASSPHRASE);
      expect(files.map(fingerprint)).toEqual(before);
      expect(readdirSync(storageDir).filter((f) => f.includes('corrupt'))).toEqual([]);
    }

    const db = openDatabase(join(storageDir, 'logs.db'), {
      readonly: true,
      key: { passphrase: PASSPHRASE, source: 'test' },
    });
    try {
      const rows = db.prepare('SELECT method FROM records WHERE message LIKE ?').all(`%${marker}%`);
      expect(rows).toHaveLength(2);
    } finally {
      db.close();
    }
  });
});
