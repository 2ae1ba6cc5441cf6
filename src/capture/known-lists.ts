import type { KnownToolList, ToolListStore } from '../store/tool-lists.js';

/**
 * Tool lists as the store held them when capture started, for a store the capture worker cannot read
 * synchronously (PostgreSQL): drift compares each tools/list answer against them, and the lists seen since
 * are kept by writerToolLists (store/writer-tool-lists.ts), which also sends every change to the writer.
 * Changes are listed by the API from the store itself, not from here.
 */
export function knownListsStore(lists: readonly KnownToolList[]): ToolListStore {
  const known = new Map(lists.map((list) => [list.server, list]));
  return {
    known: (server) => known.get(server) ?? null,
    remember: (list) => {
      known.set(list.server, list);
    },
    addChange: () => 0,
    changes: () => [],
    count: () => 0,
  };
}
