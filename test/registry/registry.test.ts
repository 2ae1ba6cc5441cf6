import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/errors.js';
import { Registry } from '../../src/registry/registry.js';
import { writeFileAtomic } from '../../src/storage/atomic-write.js';

describe('server registry (mcp.json)', () => {
  let dir: string;
  let path: string;
  let logs: string[];
  let registry: Registry | null = null;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-registry-'));
    path = join(dir, 'mcp.json');
    logs = [];
  });

  afterEach(() => {
    registry?.close();
    registry = null;
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => {
    registry = new Registry(path, (m) => logs.push(m));
    return registry;
  };

  it('reads the mcpServers format, inferring the type from url or command and accepting other spellings', () => {
    writeFileSync(
      path,
      JSON.stringify({
        mcpServers: {
          remote: { url: 'https://example.com/mcp', headers: { Authorization: 'Bearer x' } },
          cursorstyle: { type: 'streamable-http', url: 'http://localhost:9/mcp' },
          local: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
        },
      }),
    );
    const r = open();
    expect(r.error).toBeNull();
    expect(r.get('remote')).toMatchObject({ type: 'http', url: 'https://example.com/mcp' });
    expect(r.get('cursorstyle')?.type).toBe('http');
    expect(r.get('local')).toMatchObject({ type: 'stdio', command: 'npx' });
    expect(r.names()).toEqual(['cursorstyle', 'local', 'remote']);
  });

  it('refuses a malformed file with a message naming each problem, keeping the last good configuration', () => {
    writeFileSync(
      path,
      JSON.stringify({ mcpServers: { good: { type: 'http', url: 'http://localhost:1/mcp' } } }),
    );
    const r = open();
    writeFileSync(
      path,
      JSON.stringify({
        mcpServers: {
          'Bad Name': { type: 'http', url: 'ftp://nope' },
          weird: { type: 'websocket', url: 'http://x' },
        },
      }),
    );
    expect(r.reload()).toBe(false);
    expect(r.error).toContain('server name "Bad Name" is invalid');
    expect(r.error).toContain('(for example "bad-name")');
    expect(r.error).toContain('url: must be an http:// or https:// URL');
    expect(r.error).toContain('server "weird" has type "websocket"');
    expect(r.names()).toEqual(['good']);
    writeFileSync(path, '{"mcpServers": {');
    r.reload();
    expect(r.error).toContain('not valid JSON');
    expect(r.names()).toEqual(['good']);
  });

  it('never overwrites a file it cannot read: writes are refused with 409 until it is fixed by hand', () => {
    const broken = '{"mcpServers": {"a": ';
    writeFileSync(path, broken);
    const r = open();
    let error: unknown;
    try {
      r.add('new', { type: 'http', url: 'http://localhost:1/mcp' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(409);
    expect((error as GatewayError).message).toContain('fix it by hand');
    expect(readFileSync(path, 'utf8')).toBe(broken);
  });

  it('writes atomically with mode 600, keeping other entries and fields it does not manage', () => {
    writeFileSync(
      path,
      JSON.stringify({
        globalShortcut: 'Ctrl+M',
        mcpServers: { keep: { command: 'x', disabled: true, note: 'mine' } },
      }),
    );
    const r = open();
    r.add('added', { type: 'http', url: 'http://localhost:2/mcp' });
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(written.globalShortcut).toBe('Ctrl+M');
    expect(written.mcpServers.keep).toEqual({ command: 'x', disabled: true, note: 'mine' });
    expect(written.mcpServers.added).toEqual({ type: 'http', url: 'http://localhost:2/mcp' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    r.remove('keep');
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')).mcpServers)).toEqual(['added']);
  });

  it('answers 409 for a duplicate name, 404 for an unknown one, 400 for an invalid entry', () => {
    const r = open();
    r.add('one', { type: 'http', url: 'http://localhost:1/mcp' });
    const status = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        return (error as GatewayError).status;
      }
      return 200;
    };
    expect(status(() => r.add('one', { type: 'http', url: 'http://localhost:1/mcp' }))).toBe(409);
    expect(status(() => r.replace('two', { type: 'http', url: 'http://localhost:1/mcp' }))).toBe(404);
    expect(status(() => r.remove('two'))).toBe(404);
    expect(status(() => r.add('three', { type: 'http', url: 'not a url' }))).toBe(400);
    expect(status(() => r.add('-bad', { type: 'http', url: 'http://localhost:1/mcp' }))).toBe(400);
  });

  it('picks up hand edits while running, including editors that replace the file', async () => {
    const r = open();
    const changes: string[] = [];
    r.onChange((change) =>
      changes.push(...change.added.map((n) => `+${n}`), ...change.removed.map((n) => `-${n}`)),
    );
    r.watch(200);
    writeFileSync(
      `${path}.swp`,
      JSON.stringify({ mcpServers: { edited: { url: 'http://localhost:3/mcp' } } }),
    );
    const { renameSync } = await import('node:fs');
    renameSync(`${path}.swp`, path);
    await expect.poll(() => r.names(), { timeout: 10_000 }).toEqual(['edited']);
    expect(changes).toEqual(['+edited']);
  });
});

describe('server registry on a disk that cannot take the write', () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-registry-full-'));
    path = join(dir, 'mcp.json');
    writeFileSync(path, '{"mcpServers":{}}\n');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The real atomic write on a file system whose writes fail with `code`. */
  const registryFailing = (code: string) =>
    new Registry(
      path,
      () => {},
      (target, text) =>
        writeFileAtomic(target, text, {
          ...fs,
          writeSync: () => {
            throw Object.assign(new Error(`${code}: simulated`), { code });
          },
        }),
    );

  it.each([
    ['ENOSPC', 507, /the disk is full \(ENOSPC\)\. Nothing was changed; free some disk space/],
    ['EDQUOT', 507, /the disk quota is used up \(EDQUOT\)/],
    [
      'EROFS',
      500,
      /the file system is read-only \(EROFS\)\. Nothing was changed; make the storage dir writable/,
    ],
    ['EACCES', 500, /permission denied \(EACCES\)/],
  ])(
    '%s: answers %i naming the cause, leaves mcp.json as it was and no stray files',
    (code, status, message) => {
      const registry = registryFailing(code);
      try {
        let error: unknown;
        try {
          registry.add('memory', { type: 'http', url: 'http://127.0.0.1:1/mcp' });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(GatewayError);
        expect((error as GatewayError).status).toBe(status);
        expect((error as GatewayError).message).toMatch(message);
        expect(readFileSync(path, 'utf8')).toBe('{"mcpServers":{}}\n');
        expect(readdirSync(dir)).toEqual(['mcp.json']);
        expect(registry.names()).toEqual([]);
      } finally {
        registry.close();
      }
    },
  );
});
