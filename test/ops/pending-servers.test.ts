import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/errors.js';
import { launchToApprove } from '../../src/ops/launch.js';
import { PendingServers } from '../../src/ops/pending-servers.js';

const request = (name: string) => {
  const entry = { type: 'stdio' as const, command: '/usr/bin/touch', args: [`/tmp/${name}`] };
  return {
    name,
    action: 'add' as const,
    entry,
    launch: launchToApprove(entry) ?? (null as never),
    requestedBy: { via: 'test', client: 'agent 1.0', userAgent: null },
  };
};

describe('launches awaiting approval', () => {
  let dir: string;
  const log: string[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pending-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('survive a restart, in a file only the owner can read', () => {
    const path = join(dir, 'pending.json');
    new PendingServers(path, (m) => log.push(m)).add(request('one'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = new PendingServers(path, (m) => log.push(m));
    expect(again.list().map((p) => p.name)).toEqual(['one']);
    expect(again.get('one')?.launch.commandLine).toBe('/usr/bin/touch /tmp/one');
  });

  it('hold one request per name, so a waiting one cannot be swapped', () => {
    const pending = new PendingServers(join(dir, 'pending.json'), (m) => log.push(m));
    pending.add(request('one'));
    expect(() => pending.add(request('one'))).toThrow(/already awaiting/);
    pending.remove('one');
    expect(() => pending.remove('one')).toThrow(GatewayError);
  });

  it('move an unreadable file aside and start empty, saying so', () => {
    const path = join(dir, 'pending.json');
    writeFileSync(path, '{ not json');
    const messages: string[] = [];
    const pending = new PendingServers(path, (m) => messages.push(m));
    expect(pending.list()).toEqual([]);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).some((f) => f.startsWith('pending.json.corrupt-'))).toBe(true);
    expect(messages[0]).toContain('moved it to');
  });
});
