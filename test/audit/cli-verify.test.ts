import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditPath } from '../../src/audit/audit-store.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { fileKind, Sqlite } from '../../src/store/cipher.js';
import { apiJson } from '../helpers/api-json.js';
import { BIN, runCli } from '../helpers/cli.js';
import { startTestGateway } from '../helpers/gateway.js';

const DOWN = 'http://127.0.0.1:9/mcp';
const roots: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
  roots.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of roots) rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const run = runCli(args, env);
  const code = await run.exit();
  return { code, out: run.stdout(), err: run.stderr() };
}

/** A storage dir whose gateway added, changed and removed servers and cleared records, then stopped. */
async function historyIn(storageDir: string, options: { dbKeyFile?: string } = {}) {
  const gw = await startTestGateway({ storageDir, ...options });
  try {
    for (const name of ['a', 'b', 'c']) {
      await apiJson(gw, '/api/servers/config', 201, {
        method: 'POST',
        body: JSON.stringify({ name, type: 'http', url: DOWN }),
      });
    }
    await apiJson(gw, '/api/servers/config/b', 200, { method: 'DELETE' });
    await apiJson(gw, '/api/logs/clear', 200, { method: 'POST', body: '' });
    return gw;
  } finally {
    await gw.stop();
  }
}

/** What someone with sqlite3 and write access to the file does: drops the guards, then edits. */
function tamper(path: string, sql: string): void {
  const db = new Sqlite(path);
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  db.exec(sql);
  db.close();
}

describe('mcp-gateway audit verify (the built CLI)', { timeout: 120_000 }, () => {
  it('says the log is intact, then names an edited entry and a deleted one, exit 1', async () => {
    const dir = scratch();
    await historyIn(dir);
    expect(statSync(auditPath(dir)).mode & 0o777).toBe(0o600);

    const intact = await cli(['audit', 'verify', '--storage-dir', dir]);
    expect(intact.code, intact.err).toBe(0);
    expect(intact.out).toMatch(
      /^audit log intact: 5 entries, first 1 at \S+Z, last 5 at \S+Z \(hash [0-9a-f]{64}\)/,
    );

    tamper(auditPath(dir), "UPDATE audit SET outcome = 'failed' WHERE seq = 2");
    const edited = await cli(['audit', 'verify', '--storage-dir', dir]);
    expect(edited.code).toBe(1);
    expect(edited.err).toContain('entry 2 was changed');

    tamper(auditPath(dir), "UPDATE audit SET outcome = 'ok' WHERE seq = 2; DELETE FROM audit WHERE seq = 4");
    const deleted = await cli(['audit', 'verify', '--storage-dir', dir]);
    expect(deleted.code).toBe(1);
    expect(deleted.err).toContain('entry 4 is missing: the chain jumps from 3 to 5');
    expect(deleted.err).not.toContain('entry 2');
  });

  it('lists the newest entries, as text or JSON Lines', async () => {
    const dir = scratch();
    await historyIn(dir);
    const text = await cli(['audit', 'list', '--limit', '2', '--storage-dir', dir]);
    expect(text.code, text.err).toBe(0);
    const lines = text.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^4 +\S+ +owner \(admin\) +127\.0\.0\.1 +server\.remove +b +ok/);
    expect(lines[1]).toMatch(/records\.clear +all records +ok/);
    const json = await cli(['audit', 'list', '--json', '--storage-dir', dir]);
    const entries = json.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number; action: string });
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('records a CLI change as the owner at the terminal, chained after the gateway', async () => {
    const dir = scratch();
    await historyIn(dir);
    const set = spawnSync(process.execPath, [BIN, 'secret', 'set', 'DEPLOY_KEY', '--storage-dir', dir], {
      input: 'value-never-audited\n',
      encoding: 'utf8',
      env: { ...process.env, MCP_GATEWAY_DB_KEY: undefined },
    });
    expect(set.status, set.stderr).toBe(0);
    const afterSet = await cli(['audit', 'list', '--json', '--limit', '1', '--storage-dir', dir]);
    expect(JSON.parse(afterSet.out)).toMatchObject({
      seq: 6,
      actor: 'owner (cli)',
      source: 'cli',
      action: 'secret.set',
      target: 'DEPLOY_KEY',
      outcome: 'ok',
    });
    // db encrypt gives audit.db the key with logs.db (a gateway started with the key opens both), and
    // records itself in it.
    const keyFile = join(dir, '..', `${dir.split('/').at(-1)}.key`);
    writeFileSync(keyFile, 'audit cli passphrase\n', { mode: 0o600 });
    roots.push(keyFile);
    const encrypt = await cli(['db', 'encrypt', '--storage-dir', dir, '--db-key-file', keyFile]);
    expect(encrypt.code, encrypt.err).toBe(0);
    expect(encrypt.out).toMatch(/The audit log .*audit\.db \(6 entries\) is encrypted with the same key/);
    expect(fileKind(auditPath(dir))).toBe('encrypted');
    const list = await cli(['audit', 'list', '--json', '--storage-dir', dir, '--db-key-file', keyFile]);
    const last = JSON.parse(list.out.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    expect(last).toMatchObject({
      seq: 7,
      actor: 'owner (cli)',
      source: 'cli',
      action: 'db.encrypt',
      outcome: 'ok',
    });
    const verify = await cli(['audit', 'verify', '--storage-dir', dir, '--db-key-file', keyFile]);
    expect(verify.code, verify.err).toBe(0);
    expect(verify.out).toMatch(/intact: 7 entries/);
    // The secret's value is the secret store's; the audit log names the secret only.
    expect(list.out).not.toContain('value-never-audited');
  });
});

describe('audit.db with a store key', { timeout: 120_000 }, () => {
  it('is encrypted: no actor name or action can be read from the file, and verify needs the key', async () => {
    const dir = scratch();
    const keyFile = join(scratch(), 'key');
    writeFileSync(keyFile, 'team passphrase\n', { mode: 0o600 });
    const gw = await startTestGateway({ storageDir: dir, dbKeyFile: keyFile });
    try {
      const token = new TokenStore(dir).create({ name: 'zelda-the-auditor', role: 'admin' }).value;
      const add = await fetch(`${gw.url}/api/servers/config`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'secretive', type: 'http', url: DOWN }),
      });
      expect(add.status).toBe(201);
      const entries = await apiJson<{ data: { actor: string }[] }>(gw, '/api/audit');
      expect(entries.data[0]?.actor).toBe('zelda-the-auditor');
    } finally {
      await gw.stop();
    }
    expect(fileKind(auditPath(dir))).toBe('encrypted');
    for (const file of [auditPath(dir), `${auditPath(dir)}-wal`]) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file);
      expect(bytes.includes('zelda-the-auditor')).toBe(false);
      expect(bytes.includes('server.add')).toBe(false);
    }
    const noKey = await cli(['audit', 'verify', '--storage-dir', dir]);
    expect(noKey.code).toBe(2);
    expect(noKey.err).toMatch(/audit\.db is encrypted and no key was given/);
    const withKey = await cli(['audit', 'verify', '--storage-dir', dir], {
      MCP_GATEWAY_DB_KEY: 'team passphrase',
    });
    expect(withKey.code, withKey.err).toBe(0);
    expect(withKey.out).toMatch(/intact: 1 entries/);
  });
});

describe('clearing traffic', { timeout: 120_000 }, () => {
  it('leaves the audit log whole: clear deletes records, never audit entries', async () => {
    const dir = scratch();
    const gw = await startTestGateway({ storageDir: dir });
    try {
      await apiJson(gw, '/api/servers/config', 201, {
        method: 'POST',
        body: JSON.stringify({ name: 'kept', type: 'http', url: DOWN }),
      });
      const before = (await apiJson<{ data: unknown[] }>(gw, '/api/audit')).data.length;
      await apiJson(gw, '/api/logs?all=true', 200, { method: 'DELETE' });
      await apiJson(gw, '/api/logs/clear', 200, { method: 'POST', body: '' });
      const after = await apiJson<{ data: { action: string }[] }>(gw, '/api/audit?order=asc');
      expect(after.data).toHaveLength(before + 2);
      expect(after.data.map((e) => e.action)).toEqual(['server.add', 'records.delete', 'records.clear']);
    } finally {
      await gw.stop();
    }
    const verify = await cli(['audit', 'verify', '--storage-dir', dir]);
    expect(verify.code, verify.err).toBe(0);
  });
});
