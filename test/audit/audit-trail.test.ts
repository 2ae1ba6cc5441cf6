import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditStore, auditPath } from '../../src/audit/audit-store.js';
import type { AuditEvent } from '../../src/audit/audit-trail.js';
import { SqliteAuditTrail } from '../../src/audit/sqlite-audit-trail.js';
import { OWNER } from '../../src/auth/identity.js';

const act: AuditEvent = {
  actor: OWNER,
  source: '127.0.0.1',
  action: 'server.add',
  target: 'x',
  outcome: 'ok',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-trail-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the gateway audit trail', () => {
  it('queues an entry without writing it on the spot, and writes it on the next turn', async () => {
    const trail = SqliteAuditTrail.open(auditPath(dir), null, () => {});
    trail.record(act);
    const count = () => {
      const store = AuditStore.open(auditPath(dir), { readonly: true });
      try {
        return [...store.all()].length;
      } finally {
        store.close();
      }
    };
    expect(count()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(count()).toBe(1);
    trail.close();
  });

  it('logs a failing write and carries on: record never throws, later entries still chain', async () => {
    const warnings: string[] = [];
    const trail = SqliteAuditTrail.open(auditPath(dir), null, (m) => warnings.push(m));
    // The disk refuses the write (full, or the file locked by another process for too long).
    const store = trail.store as unknown as { append: (e: AuditEvent, t: number) => unknown };
    const append = store.append.bind(store);
    store.append = () => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    };
    expect(() => trail.record(act)).not.toThrow();
    trail.flush();
    expect(warnings).toEqual([
      expect.stringMatching(
        /could not write to the audit log \(server\.add by owner on x\): database is locked\. The action itself went ahead/,
      ),
    ]);
    store.append = append;
    trail.record({ ...act, target: 'y' });
    const page = trail.query({ limit: 10, order: 'asc' });
    expect(page.entries.map((e) => [e.seq, e.target])).toEqual([[1, 'y']]);
    trail.close();
  });

  it('keeps audit.db private (600), and tightens a looser one with a warning', () => {
    SqliteAuditTrail.open(auditPath(dir), null, () => {}).close();
    expect(statSync(auditPath(dir)).mode & 0o777).toBe(0o600);
    chmodSync(auditPath(dir), 0o644);
    const warnings: string[] = [];
    SqliteAuditTrail.open(auditPath(dir), null, (m) => warnings.push(m)).close();
    expect(statSync(auditPath(dir)).mode & 0o777).toBe(0o600);
    expect(warnings[0]).toMatch(/audit\.db was readable by others \(mode 644\); tightened it to 600/);
  });
});
