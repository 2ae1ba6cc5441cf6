import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AtomicWriteFs, writeFileAtomic } from '../../src/storage/atomic-write.js';

function failing(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/** The real file system, with one call made to fail the way a full disk or a read-only mount does. */
function fsFailing(call: keyof AtomicWriteFs, code: string): AtomicWriteFs {
  return {
    ...fs,
    [call]: () => {
      throw failing(code);
    },
  } as AtomicWriteFs;
}

describe('atomic file writes', () => {
  let dir: string;
  let target: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-atomic-'));
    target = join(dir, 'mcp.json');
    writeFileSync(target, 'old');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the file whole', () => {
    writeFileAtomic(target, 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['mcp.json']);
  });

  it.each([
    ['writeSync', 'ENOSPC'],
    ['fsyncSync', 'EDQUOT'],
    ['renameSync', 'EROFS'],
  ] as const)('when %s fails with %s, leaves the old file and no temporary file behind', (call, code) => {
    expect(() => writeFileAtomic(target, 'new', fsFailing(call, code))).toThrow(
      expect.objectContaining({ code }),
    );
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['mcp.json']);
  });
});
