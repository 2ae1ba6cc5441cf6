import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { runUi } from '../../src/cli/ui-link.js';
import { lockStorageDir } from '../../src/storage/gateway-lock.js';

describe('mcp-gateway ui', () => {
  let dir: string;
  let lines: { out: string[]; err: string[]; opened: string[] };
  const io = (opens = true) => ({
    out: (line: string) => lines.out.push(line),
    err: (line: string) => lines.err.push(line),
    openUrl: async (url: string) => {
      lines.opened.push(url);
      return opens;
    },
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-ui-cmd-'));
    lines = { out: [], err: [], opened: [] };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('parses its options and refuses what it does not know', () => {
    expect(parseCli(['ui', '--open', '--storage-dir', dir])).toEqual({
      command: 'ui',
      options: { open: true, storageDir: dir },
    });
    expect(() => parseCli(['ui', '--opne'])).toThrow('unknown option "--opne"; did you mean --open?');
    expect(parseCli(['--demo']).command).toBe('serve');
  });

  it('prints the link with the token encoded, and opens it with --open', async () => {
    const lock = lockStorageDir(dir, () => {});
    try {
      lock.listening(4567, 'http://localhost:4567', 'a+token/with=signs');
      expect(await runUi({ open: true, storageDir: dir }, io())).toBe(0);
      expect(lines.out).toEqual(['http://localhost:4567/ui?token=a%2Btoken%2Fwith%3Dsigns']);
      expect(lines.opened).toEqual(lines.out);
    } finally {
      lock.release();
    }
  });

  it('still prints the link when no browser can be opened, and says to open it by hand', async () => {
    const lock = lockStorageDir(dir, () => {});
    try {
      lock.listening(4567, 'http://localhost:4567', 'the-token-0123456789');
      expect(await runUi({ open: true, storageDir: dir }, io(false))).toBe(0);
      expect(lines.out).toHaveLength(1);
      expect(lines.err.join('\n')).toContain('open the link above yourself');
    } finally {
      lock.release();
    }
  });

  it('says the gateway is still starting when it has not recorded its link yet', async () => {
    const lock = lockStorageDir(dir, () => {});
    try {
      expect(await runUi({ open: false, storageDir: dir }, io())).toBe(1);
      expect(lines.err.join('\n')).toContain('is still starting');
    } finally {
      lock.release();
    }
  });
});
