import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_FILTER } from '../../src/filter/ast.js';
import { parseFilter } from '../../src/filter/parser.js';
import type { RecordPage } from '../../src/store/log-store.js';
import { makeRecord, openTestStore, type TestStore } from '../helpers/records.js';

const KB = 1024;

/** A tools/call result carrying `bytes` of text. */
function result(bytes: number, id: number) {
  const message = JSON.stringify({
    jsonrpc: '2.0',
    id,
    result: { content: [{ type: 'text', text: 'x'.repeat(bytes) }] },
  });
  return makeRecord({
    kind: 'response',
    method: 'tools/call',
    jsonrpcId: id,
    message,
    summary: `result ${id}`,
  });
}

describe('pages of records', () => {
  let t: TestStore;
  beforeEach(() => {
    t = openTestStore();
  });
  afterEach(() => t.close());

  /** Every page from the start, following nextCursor. */
  function allPages(read: (cursor: number | undefined) => RecordPage): RecordPage[] {
    const pages = [];
    let cursor: number | undefined;
    for (;;) {
      const page = read(cursor);
      pages.push(page);
      if (!page.nextCursor) return pages;
      cursor = Number(page.nextCursor);
    }
  }

  it('end early once their messages pass maxBytes, holding at least one record, with no gaps', () => {
    const sizes = [10, 300, 300, 300, 900, 5, 5, 2000, 1];
    const ids = t.write(sizes.map((kb, i) => result(kb * KB, i + 1)));
    const pages = allPages((cursor) =>
      t.store.list({ filter: EMPTY_FILTER, order: 'asc', limit: 5, maxBytes: 700 * KB, cursor }),
    );
    expect(pages.map((page) => page.records.map((r) => r.id))).toEqual([
      [ids[0], ids[1], ids[2]],
      [ids[3]],
      [ids[4]],
      [ids[5], ids[6]],
      [ids[7]],
      [ids[8]],
    ]);
    // Whole records: the message is there, as stored.
    expect(pages[1]?.records[0]?.message.length).toBeGreaterThan(300 * KB);
    expect(pages.slice(0, -1).every((page) => page.hasMore)).toBe(true);
  });

  it('fill up to the limit when the messages are small, filtered by full-text search too', () => {
    t.write(Array.from({ length: 12 }, (_, i) => result(100, i + 1)));
    const pages = allPages((cursor) =>
      t.store.list({ filter: parseFilter('result'), order: 'desc', limit: 5, maxBytes: 64 * KB, cursor }),
    );
    expect(pages.map((page) => page.records.length)).toEqual([5, 5, 2]);
  });

  it('come without message and headers when bodies are not wanted, whatever their size', () => {
    t.write([result(2000 * KB, 1), result(10, 2)]);
    const page = t.store.list({ filter: EMPTY_FILTER, order: 'asc', limit: 10, bodies: false, maxBytes: KB });
    expect(page.records.map((r) => [r.summary, r.message, r.requestHeaders, r.size > 2000 * KB])).toEqual([
      ['result 1', '', null, true],
      ['result 2', '', null, false],
    ]);
  });

  it('bound session timelines by bytes the same way, with no gaps', () => {
    const ids = t.write([600, 600, 10, 10, 900].map((kb, i) => result(kb * KB, i + 1)));
    const pages = allPages((cursor) =>
      t.store.timeline({ sessionId: 'session-1', limit: 10, cursor, maxBytes: 1000 * KB }),
    );
    expect(pages.map((page) => page.records.map((r) => r.id))).toEqual([
      [ids[0]],
      [ids[1], ids[2], ids[3]],
      [ids[4]],
    ]);
  });
});
