import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDatabase } from '../../bench/query/generate.js';
import { TrafficGenerator } from '../../bench/query/traffic.js';
import { fileKind, type StoreKey } from '../../src/store/cipher.js';
import { openDatabase } from '../../src/store/database.js';
import { runCli } from '../helpers/cli.js';
import { startTestGateway } from '../helpers/gateway.js';

const KEY = 'first passphrase';
const NEW_KEY = 'second passphrase';
const key = (passphrase: string): StoreKey => ({ passphrase, source: 'test' });

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A storage dir whose plain logs.db holds `count` records of generated traffic. */
function plainStore(count: number): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-db-'));
  dirs.push(dir);
  const path = join(dir, 'logs.db');
  generateDatabase(path, new TrafficGenerator(3), count, 3_600_000);
  return { dir, path };
}

/** Record ids and a digest of every record's message, read with `k` (null: plain). */
function contents(path: string, k: StoreKey | null): { count: number; digest: string } {
  const db = openDatabase(path, { readonly: true, key: k });
  try {
    const hash = createHash('sha256');
    let count = 0;
    for (const row of db.prepare('SELECT id, message FROM records ORDER BY id').iterate() as Iterable<{
      id: number;
      message: string;
    }>) {
      hash.update(`${row.id}:${row.message}\n`);
      count++;
    }
    return { count, digest: hash.digest('hex') };
  } finally {
    db.close();
  }
}

async function db(args: string[], env: Record<string, string> = {}) {
  const run = runCli(['db', ...args], env);
  const code = await run.exit();
  return { code, out: run.stdout(), err: run.stderr() };
}

describe('mcp-gateway db encrypt, rekey and decrypt', () => {
  it('convert a store plain → encrypted → new key → plain with every record intact, saying how long it took', async () => {
    const { dir, path } = plainStore(3000);
    const original = contents(path, null);
    expect(original.count).toBeGreaterThanOrEqual(3000);

    const encrypted = await db(['encrypt', '--storage-dir', dir], { MCP_GATEWAY_DB_KEY: KEY });
    expect(encrypted.code).toBe(0);
    expect(encrypted.out).toMatch(
      new RegExp(
        `Encrypted .*logs\\.db \\(${original.count.toLocaleString('en-US')} records, [\\d.]+ MiB\\) in [\\d.]+ s\\.`,
      ),
    );
    expect(fileKind(path)).toBe('encrypted');
    expect(contents(path, key(KEY))).toEqual(original);
    expect(encrypted.out + encrypted.err).not.toContain(KEY);

    const rekeyed = await db(['rekey', '--storage-dir', dir], {
      MCP_GATEWAY_DB_KEY: KEY,
      MCP_GATEWAY_NEW_DB_KEY: NEW_KEY,
    });
    expect(rekeyed.code).toBe(0);
    expect(rekeyed.out).toMatch(
      /Re-keyed .* in [\d.]+ s\. Start the gateway with the key from MCP_GATEWAY_NEW_DB_KEY/,
    );
    expect(() => contents(path, key(KEY))).toThrow(/cannot decrypt/);
    expect(contents(path, key(NEW_KEY))).toEqual(original);

    const decrypted = await db(['decrypt', '--storage-dir', dir], { MCP_GATEWAY_DB_KEY: NEW_KEY });
    expect(decrypted.code).toBe(0);
    expect(fileKind(path)).toBe('plain');
    expect(contents(path, null)).toEqual(original);
    expect(readdirSync(dir).sort()).toEqual(['logs.db']);
  });

  it('refuse a wrong key, a store in the wrong state, and a running gateway, with one line each and the file unchanged', async () => {
    const { dir, path } = plainStore(200);
    const digest = () => createHash('sha256').update(readFileSync(path)).digest('hex');
    const before = digest();
    const plainDecrypt = await db(['decrypt', '--storage-dir', dir], { MCP_GATEWAY_DB_KEY: KEY });
    expect(plainDecrypt.code).toBe(2);
    expect(plainDecrypt.err).toMatch(
      /logs\.db is not encrypted: to encrypt it, run mcp-gateway db encrypt\n$/,
    );
    const noKey = await db(['encrypt', '--storage-dir', dir]);
    expect(noKey.code).toBe(2);
    expect(noKey.err).toMatch(/db encrypt needs the store's key: give the key with MCP_GATEWAY_DB_KEY/);
    expect(digest()).toBe(before);

    const gw = await startTestGateway({ storageDir: dir });
    try {
      const refused = await db(['encrypt', '--storage-dir', dir], { MCP_GATEWAY_DB_KEY: KEY });
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(
        new RegExp(
          `a gateway \\(pid \\d+ at ${gw.url}\\) is running on storage dir .*: stop it, then run mcp-gateway db encrypt again`,
        ),
      );
    } finally {
      await gw.stop();
    }
    expect(fileKind(path)).toBe('plain');

    expect((await db(['encrypt', '--storage-dir', dir], { MCP_GATEWAY_DB_KEY: KEY })).code).toBe(0);
    const encrypted = digest();
    const wrong = await db(['decrypt', '--storage-dir', dir], { MCP_GATEWAY_DB_KEY: 'guess' });
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(
      /^mcp-gateway: cannot decrypt .*logs\.db with the key from MCP_GATEWAY_DB_KEY: the key is wrong/,
    );
    expect(wrong.err.trim().split('\n')).toHaveLength(1);
    expect(digest()).toBe(encrypted);
  });

  it('killed (kill -9) at any point of a conversion, leave a store that opens with the old key or the new one and holds every record', async () => {
    const { dir, path } = plainStore(20_000);
    const original = contents(path, null);
    // Kill while the copy is written, while it is re-encrypted, and around the rename.
    const outcomes: string[] = [];
    for (const delayMs of [0, 150, 400, 800, 1500]) {
      const run = runCli(['db', 'encrypt', '--storage-dir', dir], { MCP_GATEWAY_DB_KEY: KEY });
      await run.waitFor(/Encrypting/);
      await new Promise((r) => setTimeout(r, delayMs));
      run.child.kill('SIGKILL');
      await run.exit();
      const kind = fileKind(path);
      outcomes.push(existsSync(`${path}.converting`) ? `${kind}, copy half written` : kind);
      expect(['plain', 'encrypted']).toContain(kind);
      expect(contents(path, kind === 'plain' ? null : key(KEY))).toEqual(original);
      if (kind === 'encrypted') {
        expect((await db(['decrypt', '--storage-dir', dir], { MCP_GATEWAY_DB_KEY: KEY })).code).toBe(0);
      }
    }
    // At least one kill landed mid-way, with a half-written copy beside the store.
    expect(outcomes).toContain('plain, copy half written');
    // What a killed run left beside logs.db is cleared by the next one.
    expect((await db(['encrypt', '--storage-dir', dir], { MCP_GATEWAY_DB_KEY: KEY })).code).toBe(0);
    expect(contents(path, key(KEY))).toEqual(original);
    expect(existsSync(`${path}.converting`)).toBe(false);
  }, 120_000);
});
