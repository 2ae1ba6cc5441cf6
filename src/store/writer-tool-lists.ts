import type { KnownToolList, ToolListStore } from './tool-lists.js';
import type { WriterThread } from './writer-thread.js';

/**
 * The capture worker's view of the tool lists (tool-drift listener) when records are stored by the writer
 * thread (or PostgreSQL's writer, which takes the same ops): reads come from the capture worker's own connection, writes go to the writer in the batch of the
 * answer that showed the list, so they commit with it and its capture number becomes its record id there.
 * The lists seen since start are kept here too (one per server), so an answer compared before the
 * writer committed the one before it still compares against that one.
 */
export function writerToolLists(
  writer: Pick<WriterThread, 'toolLists'>,
  open: () => ToolListStore,
): ToolListStore {
  const seen = new Map<string, KnownToolList>();
  // Opened at the first tools/list answer: opening an encrypted store derives its key, which a capture
  // that never sees one (a short wrap session) should not wait for.
  let opened: ToolListStore | null = null;
  const stored = () => {
    opened ??= open();
    return opened;
  };
  let changes = 0;
  return {
    known(server) {
      return seen.get(server) ?? stored().known(server);
    },
    remember(list) {
      seen.set(list.server, list);
      writer.toolLists({ op: 'tool-list', list });
    },
    addChange(change) {
      writer.toolLists({ op: 'tool-change', change, previousIsSeq: seen.has(change.server) });
      // Ids are the writer's; this one only tells announcements apart.
      return ++changes;
    },
    changes: (server, limit, before) => stored().changes(server, limit, before),
    count: (server) => stored().count(server),
  };
}
