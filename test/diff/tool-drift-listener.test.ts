import { afterEach, describe, expect, it } from 'vitest';
import { jsonDraft, type MessageDraft } from '../../src/capture/draft.js';
import { type ToolListChanged, toolDriftListener } from '../../src/capture/listeners/tool-drift.js';
import type { Direction } from '../../src/core/jsonrpc.js';
import { MAX_CHANGES_PER_SERVER, sqliteToolLists } from '../../src/store/tool-lists.js';
import { openTestStore, type TestStore } from '../helpers/records.js';

/** The drift listener fed the drafts capture would make, over a real logs.db. */
describe('tool-drift listener', () => {
  let t: TestStore;
  afterEach(() => t?.close());

  const setup = () => {
    t = openTestStore();
    const lists = sqliteToolLists(t.db);
    const told: ToolListChanged[] = [];
    const listener = toolDriftListener(lists, (change) => told.push(change));
    let nextId = 1;
    const draft = (direction: Direction, sessionId: string, value: Record<string, unknown>): MessageDraft => {
      const d = jsonDraft(
        {
          time: Date.now(),
          server: 'paged',
          sessionId,
          direction,
          transport: 'http-json',
          httpMethod: 'POST',
          httpStatus: 200,
        },
        value,
        JSON.stringify(value),
      );
      d.record.method = 'tools/list';
      d.id = nextId++;
      return d;
    };
    const tool = (name: string, description = name) => ({
      name,
      description,
      inputSchema: { type: 'object' },
    });
    /** One session listing its tools page by page, as a client follows nextCursor. */
    const list = (sessionId: string, pages: string[][], description?: (name: string) => string) => {
      pages.forEach((names, index) => {
        const cursor = index === 0 ? undefined : `page-${index}`;
        listener.message?.(
          draft('client_to_server', sessionId, {
            jsonrpc: '2.0',
            id: index + 1,
            method: 'tools/list',
            params: cursor ? { cursor } : {},
          }),
        );
        listener.message?.(
          draft('server_to_client', sessionId, {
            jsonrpc: '2.0',
            id: index + 1,
            result: {
              tools: names.map((n) => tool(n, description?.(n))),
              ...(index < pages.length - 1 ? { nextCursor: `page-${index + 1}` } : {}),
            },
          }),
        );
      });
      listener.batchEnd?.();
    };
    return { lists, told, list, listener, draft };
  };

  it('puts the pages of a list together before comparing it', async () => {
    const { lists, told, list } = setup();
    list('s1', [['a', 'b'], ['c']]);
    expect(lists.known('paged')?.tools.map((x) => x.name)).toEqual(['a', 'b', 'c']);
    // The same tools in one page, or paged differently, are the same list.
    list('s2', [['c', 'b', 'a']]);
    list('s3', [['a'], ['b'], ['c']]);
    expect(lists.count('paged')).toBe(0);
    list('s4', [
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(told).toEqual([
      { server: 'paged', changeId: expect.any(Number), added: 1, removed: 0, changed: 0 },
    ]);
    expect(lists.changes('paged', 10)[0]?.tools.map((x) => [x.kind, x.name])).toEqual([['added', 'd']]);
  });

  it('compares nothing when only a later page or an answer without its request was seen, or a client stopped before the last page', async () => {
    const { lists, listener, draft } = setup();
    // A later page, whose first page was never seen.
    listener.message?.(
      draft('client_to_server', 's1', {
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/list',
        params: { cursor: 'x' },
      }),
    );
    listener.message?.(
      draft('server_to_client', 's1', { jsonrpc: '2.0', id: 7, result: { tools: [{ name: 'z' }] } }),
    );
    expect(lists.known('paged')).toBeNull();
    // An answer whose request was never seen: which page it is cannot be told.
    listener.message?.(
      draft('server_to_client', 's3', { jsonrpc: '2.0', id: 9, result: { tools: [{ name: 'y' }] } }),
    );
    expect(lists.known('paged')).toBeNull();
    listener.message?.(draft('client_to_server', 's2', { jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    listener.message?.(
      draft('server_to_client', 's2', {
        jsonrpc: '2.0',
        id: 1,
        result: { tools: [{ name: 'a' }], nextCursor: 'more' },
      }),
    );
    expect(lists.known('paged')).toBeNull();
  });

  it('keeps a flapping server to its newest changes', async () => {
    const { lists, told, list } = setup();
    for (let i = 0; i < MAX_CHANGES_PER_SERVER + 30; i++) {
      list(`s${i}`, [['a', 'b']], (name) => (name === 'a' && i % 2 === 1 ? 'flipped' : name));
    }
    expect(told.length).toBe(MAX_CHANGES_PER_SERVER + 29);
    expect(lists.count('paged')).toBe(MAX_CHANGES_PER_SERVER);
    const newest = lists.changes('paged', 1)[0];
    expect(newest?.id).toBe(told[told.length - 1]?.changeId);
    expect(newest?.tools[0]?.diff?.entries[0]?.path).toBe('/description');
  });
});
