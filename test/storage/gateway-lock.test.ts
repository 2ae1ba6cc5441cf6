import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayLockedError, lockStorageDir } from '../../src/storage/gateway-lock.js';

describe('gateway.lock: one gateway per storage dir', () => {
  let dir: string;
  let notes: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-lock-'));
    notes = [];
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lockFile = () => join(dir, 'gateway.lock');

  it('held by a db conversion, tells a gateway starting meanwhile to wait for it, by name', () => {
    const lock = lockStorageDir(dir, () => {}, 'mcp-gateway db encrypt');
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ task: 'mcp-gateway db encrypt' });
    expect(() => lockStorageDir(dir, () => {})).toThrow(
      `mcp-gateway db encrypt (pid ${process.pid}) is converting storage dir ${dir}: wait until it has finished, then try again`,
    );
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('holds pid and URL while running, refuses a second holder by name, and is gone after release', () => {
    const lock = lockStorageDir(dir, (m) => notes.push(m));
    lock.listening(4321, 'http://localhost:4321', 'the-gateway-token');
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toEqual({
      pid: process.pid,
      port: 4321,
      url: 'http://localhost:4321',
      token: 'the-gateway-token',
    });
    // The token opens everything the gateway holds: the lock is the owner's alone.
    expect(statSync(lockFile()).mode & 0o777).toBe(0o600);
    expect(() => lockStorageDir(dir, () => {})).toThrow(GatewayLockedError);
    expect(() => lockStorageDir(dir, () => {})).toThrow(
      `another gateway (pid ${process.pid} at http://localhost:4321) is already running on storage dir ${dir}`,
    );
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
    lockStorageDir(dir, () => {}).release();
    expect(notes).toEqual([]);
  });

  it('takes over a lock whose pid is gone, or that cannot be read, with a note', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lockFile(), JSON.stringify({ pid: dead, port: 1, url: null }));
    lockStorageDir(dir, (m) => notes.push(m)).release();
    writeFileSync(lockFile(), 'not json');
    lockStorageDir(dir, (m) => notes.push(m)).release();
    expect(notes).toEqual([
      `took over ${lockFile()}: the gateway that held it (pid ${dead}) is no longer running`,
      `replaced ${lockFile()}, which was unreadable`,
    ]);
  });

  it('releases only its own lock: one taken over by another gateway stays', () => {
    const lock = lockStorageDir(dir, () => {});
    writeFileSync(lockFile(), JSON.stringify({ pid: 1, port: 9, url: 'http://localhost:9' }));
    lock.release();
    expect(existsSync(lockFile())).toBe(true);
  });
});
