import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditStore, auditPath } from '../../src/audit/audit-store.js';
import type { AuditEvent } from '../../src/audit/audit-trail.js';
import { verifyChain } from '../../src/audit/verify-chain.js';
import { OWNER } from '../../src/auth/identity.js';
import { Sqlite } from '../../src/store/cipher.js';

const event = (n: number): AuditEvent => ({
  actor: OWNER,
  source: '127.0.0.1',
  action: 'server.add',
  target: `server-${n}`,
  outcome: 'ok',
});

let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-chain-'));
  path = auditPath(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeEntries(count: number): void {
  const store = AuditStore.open(path);
  for (let n = 1; n <= count; n++) store.append(event(n), 1_700_000_000_000 + n);
  store.close();
}

function verify() {
  const store = AuditStore.open(path, { readonly: true });
  try {
    return verifyChain(store.all(7));
  } finally {
    store.close();
  }
}

/** What someone with sqlite3 and write access to the file does: drops the guards, then edits. */
function tamper(sql: string): void {
  const db = new Sqlite(path);
  db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
  db.exec(sql);
  db.close();
}

describe('the audit hash chain', () => {
  it('chains each entry to the one before and verifies intact', () => {
    writeEntries(20);
    const report = verify();
    expect(report.problems).toEqual([]);
    expect(report.count).toBe(20);
    expect(report.first?.seq).toBe(1);
    expect(report.last?.seq).toBe(20);
    const store = AuditStore.open(path, { readonly: true });
    const [one, two] = [...store.all()];
    store.close();
    expect(one?.prevHash).toBe('0'.repeat(64));
    expect(two?.prevHash).toBe(one?.hash);
    expect(one?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses updates and deletes through SQLite itself (append-only)', () => {
    writeEntries(3);
    const db = new Sqlite(path);
    expect(() => db.exec("UPDATE audit SET outcome = 'failed' WHERE seq = 2")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM audit WHERE seq = 2')).toThrow(/append-only/);
    db.close();
    expect(verify().problems).toEqual([]);
  });

  it('names an entry whose outcome was edited', () => {
    writeEntries(20);
    tamper("UPDATE audit SET outcome = 'failed' WHERE seq = 17");
    expect(verify().problems).toEqual(['entry 17 was changed: its contents no longer match its hash']);
  });

  it('names a deleted entry and where the chain jumps', () => {
    writeEntries(20);
    tamper('DELETE FROM audit WHERE seq = 18');
    expect(verify().problems).toEqual(['entry 18 is missing: the chain jumps from 17 to 19']);
  });

  it('names a run of deleted entries, including the first ones', () => {
    writeEntries(20);
    tamper('DELETE FROM audit WHERE seq IN (1, 2, 9, 10, 11)');
    expect(verify().problems).toEqual([
      'entries 1 to 2 are missing: the chain starts at 3',
      'entries 9 to 11 are missing: the chain jumps from 8 to 12',
    ]);
  });

  it('catches an edit whose hash was recomputed: the next entry was chained to the original', async () => {
    writeEntries(5);
    const { entryHash } = await import('../../src/audit/audit-entry.js');
    const store = AuditStore.open(path, { readonly: true });
    const third = [...store.all()][2];
    store.close();
    if (!third) throw new Error('no entry 3');
    const { hash: _old, ...rest } = third;
    const forged = { ...rest, outcome: 'refused' as const };
    tamper(`UPDATE audit SET outcome = 'refused', hash = '${entryHash(forged)}' WHERE seq = 3`);
    expect(verify().problems).toEqual(['entry 3 was changed: entry 4 was chained to a different entry 3']);
  });

  it('keeps chaining across connections (the CLI appending while the gateway has the file open)', () => {
    const gateway = AuditStore.open(path);
    gateway.append(event(1));
    const cli = AuditStore.open(path);
    cli.append(event(2));
    cli.close();
    gateway.append(event(3));
    gateway.close();
    const report = verify();
    expect(report.problems).toEqual([]);
    expect(report.count).toBe(3);
  });
});
