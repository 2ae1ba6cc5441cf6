import { describe, expect, it } from 'vitest';
import { diffJson } from '../../src/core/json-diff.js';

describe('diffJson', () => {
  it('names added, removed and changed paths as JSON Pointers', () => {
    const before = { result: { content: [{ type: 'text', text: 'Echo: a' }], a: 1, 'x/y': 1 } };
    const after = {
      result: {
        content: [
          { type: 'text', text: 'Echo: b' },
          { type: 'text', text: 'more' },
        ],
        b: 2,
      },
    };
    const { entries, truncated } = diffJson(before, after);
    expect(truncated).toBe(false);
    expect(entries).toEqual(
      expect.arrayContaining([
        { path: '/result/content/0/text', kind: 'changed', before: 'Echo: a', after: 'Echo: b' },
        { path: '/result/content/1', kind: 'added', after: { type: 'text', text: 'more' } },
        { path: '/result/a', kind: 'removed', before: 1 },
        { path: '/result/x~1y', kind: 'removed', before: 1 },
        { path: '/result/b', kind: 'added', after: 2 },
      ]),
    );
    expect(entries).toHaveLength(5);
  });

  it('finds nothing between equal values, whatever their key order', () => {
    expect(diffJson({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 }).entries).toEqual([]);
  });

  it('treats a change of type as one change, and skips ignored paths', () => {
    expect(diffJson({ id: 1, v: [1] }, { id: 2, v: { 0: 1 } }, { ignore: ['/id'] }).entries).toEqual([
      { path: '/v', kind: 'changed', before: [1], after: { 0: 1 } },
    ]);
  });

  it('stays bounded on large documents', () => {
    const left = Array.from({ length: 2000 }, (_, i) => i);
    const right = left.map((n) => n + 1);
    const diff = diffJson(left, right, { maxEntries: 10 });
    expect(diff.entries).toHaveLength(10);
    expect(diff.truncated).toBe(true);
  });
});
