import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileKind } from '../../src/store/cipher.js';
import { openDatabase } from '../../src/store/database.js';
import { runCli } from '../helpers/cli.js';
import { connectClient } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';

/**
 * The OS keychain for real: on Linux, the Secret Service of GNOME Keyring, in a D-Bus session of its own
 * (dbus-run-session) with a keyring unlocked for the test, as a desktop session would have it. .ci/run
 * installs dbus, gnome-keyring and libsecret-tools, so CI runs this.
 */
const hasDbus = spawnSync('sh', ['-c', 'command -v dbus-run-session'], { encoding: 'utf8' }).status === 0;
if (!hasDbus) {
  console.warn(
    'db-keychain.test.ts skipped: dbus-run-session is missing (apt-get install dbus gnome-keyring)',
  );
}

const root = mkdtempSync(join(tmpdir(), 'mcp-gateway-keychain-'));
const home = join(root, 'home');
let session: ChildProcess | undefined;
let busAddress = '';

beforeAll(async () => {
  if (!hasDbus) return;
  spawnSync('mkdir', ['-p', home]);
  // The session lives as long as `cat` reads its stdin: closing it ends the keyring daemon and the bus.
  session = spawn(
    'dbus-run-session',
    [
      '--',
      'sh',
      '-c',
      'echo -n test-login | gnome-keyring-daemon --unlock --components=secrets >/dev/null && echo "$DBUS_SESSION_BUS_ADDRESS" && exec cat',
    ],
    { env: { ...process.env, HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let errors = '';
  session.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  busAddress = await new Promise<string>((resolve, reject) => {
    let out = '';
    session?.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    session?.once('exit', (code) =>
      reject(new Error(`the D-Bus session with gnome-keyring did not start (exit ${code}): ${errors}`)),
    );
  });
});

afterAll(() => {
  session?.stdin?.end();
  rmSync(root, { recursive: true, force: true });
});

/** The environment of a user logged in to that session, with no key of their own set. */
const desktop = () => ({ HOME: home, DBUS_SESSION_BUS_ADDRESS: busAddress, MCP_GATEWAY_DB_KEY: undefined });
/** No keychain: no D-Bus session to find one on. */
const headless = () => ({ HOME: home, DBUS_SESSION_BUS_ADDRESS: undefined, MCP_GATEWAY_DB_KEY: undefined });

async function cli(args: string[], env: Record<string, string | undefined>, stdin?: string) {
  if (stdin !== undefined) {
    const result = spawnSync(
      process.execPath,
      [join(import.meta.dirname, '../../bin/mcp-gateway.js'), ...args],
      {
        input: stdin,
        encoding: 'utf8',
        env: { ...process.env, ...env } as NodeJS.ProcessEnv,
      },
    );
    return { code: result.status, out: result.stdout, err: result.stderr };
  }
  const run = runCli(args, env);
  const code = await run.exit();
  return { code, out: run.stdout(), err: run.stderr() };
}

/** What GNOME Keyring holds for the storage dir (keyring-rs stores service and username attributes). */
function keychainEntry(dir: string): string | null {
  const result = spawnSync('secret-tool', ['lookup', 'service', 'mcp-gateway', 'username', dir], {
    encoding: 'utf8',
    env: { ...process.env, ...desktop() } as NodeJS.ProcessEnv,
  });
  return result.status === 0 ? result.stdout : null;
}

function filesContaining(dir: string, text: string): string[] {
  return readdirSync(dir).filter((name) => {
    const path = join(dir, name);
    return statSync(path).isFile() && readFileSync(path).includes(text);
  });
}

/**
 * Starts the gateway on `dir`, echoes `send` through server-everything (stdio) when given, looks for
 * `find` over the REST API, and stops it.
 */
async function gatewayRun(dir: string, env: Record<string, string | undefined>, send?: string, find = send) {
  const run = runCli(['--storage-dir', dir, '--port', '0'], env);
  const banner = await run.waitFor(/Listening\s+http:\/\/127\.0\.0\.1:\d+/, 30_000);
  const port = /Listening\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(banner)?.[1];
  const token = /ui\?token=([\w-]+)/.exec(banner)?.[1];
  let found: unknown[] = [];
  if (send) {
    const client = await connectClient(`http://127.0.0.1:${port}/s/everything/mcp`);
    await client.client.callTool({ name: 'echo', arguments: { message: send } });
    await client.client.close();
    await new Promise((r) => setTimeout(r, 500)); // the capture worker commits within milliseconds
  }
  const logs = await fetch(`http://127.0.0.1:${port}/api/logs?filter=${encodeURIComponent(find ?? 'x')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  found = ((await logs.json()) as { data: unknown[] }).data;
  run.child.kill('SIGTERM');
  await run.exit();
  return { banner: run.stdout(), found };
}

describe.skipIf(!hasDbus)('the OS keychain as the store key (GNOME Keyring over D-Bus)', () => {
  it('db encrypt --keychain keeps a random key there; the gateway, secret and db commands find it; db decrypt removes it', async () => {
    const dir = join(root, 'store');
    spawnSync('mkdir', ['-p', dir]);
    writeFileSync(
      join(dir, 'mcp.json'),
      JSON.stringify({ mcpServers: { everything: stdioServers.everything() } }),
      {
        mode: 0o600,
      },
    );
    const marker = `keychain-${randomUUID()}`;
    await gatewayRun(dir, desktop(), marker);
    expect(filesContaining(dir, marker)).toContain('logs.db');
    const secret = await cli(
      ['secret', 'set', 'API_TOKEN', '--storage-dir', dir],
      desktop(),
      'token-value-1\n',
    );
    expect(secret.code).toBe(0);

    const encrypted = await cli(['db', 'encrypt', '--keychain', '--storage-dir', dir], desktop());
    expect(encrypted.err).toBe('');
    expect(encrypted.code).toBe(0);
    expect(encrypted.out).toContain(`The key is in the OS keychain (service mcp-gateway, account ${dir})`);
    expect(encrypted.out).toContain('Sealed the 1 secret in');
    const key = keychainEntry(dir);
    expect(key).toMatch(/^[\w-]{43}$/); // 32 random bytes, base64url
    expect(encrypted.out + encrypted.err).not.toContain(key);
    expect(fileKind(join(dir, 'logs.db'))).toBe('encrypted');
    expect(filesContaining(dir, marker)).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).key).toBe('the OS keychain');

    // No key given: the gateway takes it from the keychain, says so, and reads the old captures.
    const again = await gatewayRun(dir, desktop(), undefined, marker);
    expect(again.banner).toContain(`Storage     ${dir} (logs.db encrypted, key from the OS keychain)`);
    expect(again.banner).not.toContain(key);
    expect(JSON.stringify(again.found)).toContain(marker);
    // The secret store is sealed with the same key: setting another one checks it against the file.
    expect((await cli(['secret', 'set', 'OTHER', '--storage-dir', dir], desktop(), 'v2\n')).code).toBe(0);

    // Without the keychain (no D-Bus session), the store is as locked as ever, with today's message.
    const locked = await gatewayRun(dir, headless()).catch((error: Error) => error.message);
    expect(String(locked)).toMatch(/logs\.db is encrypted and no key was given: set MCP_GATEWAY_DB_KEY/);

    const rekeyed = await cli(['db', 'rekey', '--keychain', '--storage-dir', dir], desktop());
    expect(rekeyed.code).toBe(0);
    const newKey = keychainEntry(dir);
    expect(newKey).toMatch(/^[\w-]{43}$/);
    expect(newKey).not.toBe(key);
    expect(keychainEntry(`${dir} (previous key)`)).toBeNull();

    const decrypted = await cli(['db', 'decrypt', '--storage-dir', dir], desktop());
    expect(decrypted.code).toBe(0);
    expect(keychainEntry(dir)).toBeNull();
    expect(fileKind(join(dir, 'logs.db'))).toBe('plain');
    expect(filesContaining(dir, marker)).toContain('logs.db');
    const plain = await gatewayRun(dir, desktop(), undefined, marker);
    expect(plain.banner).toContain(`Storage     ${dir}\n`);
    expect(JSON.stringify(plain.found)).toContain(marker);
    expect((await cli(['secret', 'list', '--storage-dir', dir], desktop())).out).toBe('API_TOKEN\nOTHER\n');
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).key).toBe('secrets.key');
  }, 300_000);

  it('db rekey --keychain killed (kill -9) at any point leaves a store that opens with a key in the keychain', async () => {
    const dir = join(root, 'killed');
    spawnSync('mkdir', ['-p', dir]);
    const db = openDatabase(join(dir, 'logs.db'), { migrate: true });
    // Big enough (~60 MiB) that the conversion takes seconds, so the kills land in it.
    db.exec(`CREATE TABLE padding (bytes BLOB);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
      INSERT INTO padding SELECT randomblob(1048576) FROM n;`);
    db.close();
    expect((await cli(['db', 'encrypt', '--keychain', '--storage-dir', dir], desktop())).code).toBe(0);
    const opensWith = (passphrase: string | null) => {
      if (!passphrase) return false;
      try {
        openDatabase(join(dir, 'logs.db'), { readonly: true, key: { passphrase, source: 'test' } }).close();
        return true;
      } catch {
        return false;
      }
    };
    for (const delayMs of [0, 300, 1000, 2500]) {
      const run = runCli(['db', 'rekey', '--keychain', '--storage-dir', dir], desktop());
      await run.waitFor(/Re-keying/);
      await new Promise((r) => setTimeout(r, delayMs));
      run.child.kill('SIGKILL');
      await run.exit();
      const current = keychainEntry(dir);
      const previous = keychainEntry(`${dir} (previous key)`);
      expect(opensWith(current) || opensWith(previous), `killed after ${delayMs} ms`).toBe(true);
    }
    // Whatever the kills left, the next rekey finds its key and tidies up.
    expect((await cli(['db', 'rekey', '--keychain', '--storage-dir', dir], desktop())).code).toBe(0);
    expect(opensWith(keychainEntry(dir))).toBe(true);
    expect(keychainEntry(`${dir} (previous key)`)).toBeNull();
  }, 300_000);

  it('with no keychain to use, --keychain says so in one line, names what to use instead, exits 2 and changes nothing', async () => {
    const dir = join(root, 'no-keychain');
    spawnSync('mkdir', ['-p', dir]);
    await gatewayRun(dir, headless());
    const before = readFileSync(join(dir, 'logs.db'));
    const result = await cli(['db', 'encrypt', '--keychain', '--storage-dir', dir], headless());
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(
      /^mcp-gateway: --keychain: cannot write to the OS keychain: .+\. Give the key with MCP_GATEWAY_DB_KEY or --db-key-file <file> instead\n$/,
    );
    expect(readFileSync(join(dir, 'logs.db')).equals(before)).toBe(true);
    expect(fileKind(join(dir, 'logs.db'))).toBe('plain');
  }, 60_000);
});
