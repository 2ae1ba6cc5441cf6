import type { CapturedRecord } from '../core/record.js';
import { andFilters, type Filter } from '../filter/ast.js';
import type { LogReads } from './log-reads.js';
import type { AsyncLogStore, LogStore, Order, TailPage, TailQuery } from './log-store.js';

/**
 * Record ids one tail read looks at, at most: a rare filter resuming from far back is read a slice of ids
 * at a time over several reads, never with one scan of the whole store.
 */
export const SCAN_IDS = 50_000;
/** Records fetched per read when walking a whole filter (exports, replays): few reads, bounded memory. */
const ITERATE_PAGE = 500;
const ITERATE_BYTES = 8 * 1024 * 1024;

/** `id<=n` as a filter term. */
function idAtMost(id: number): Filter {
  return {
    terms: [
      { type: 'field', field: 'id', op: '<=', values: [id], raw: [String(id)], negated: false, position: 0 },
    ],
  };
}

/**
 * SQLite's tail: one writer (the capture worker) commits ids in order, so a record's position is its id
 * and "committed after" is `id > after`. The read is bounded to `SCAN_IDS` ids past `after`; when the
 * page is not cut short, every id up to that bound has been seen and the cursor moves past it.
 */
export async function tailByIds(
  list: LogReads['list'],
  { filter, after, through, limit, bodies, maxBytes }: TailQuery,
): Promise<TailPage> {
  const bound = Math.min(through, after + SCAN_IDS);
  const page = await list({
    filter: andFilters(filter, idAtMost(bound)),
    order: 'asc',
    cursor: after,
    limit,
    ...(bodies === undefined ? {} : { bodies }),
    ...(maxBytes === undefined ? {} : { maxBytes }),
  });
  const last = page.records[page.records.length - 1];
  const cursor = page.hasMore && last ? last.id : Math.max(last?.id ?? 0, bound);
  return { records: page.records, cursor, hasMore: page.hasMore };
}

/**
 * The synchronous SQLite store on the gateway's main thread as the async contract. The reads `LogReads`
 * covers (pages, counts, statistics, sessions, timelines) go to its reader threads when given, so a heavy
 * one never holds up the proxy; the rest (index lookups, small summaries, the user's own writes) are the
 * synchronous calls, answered as promises. `iterate` walks the store page by page, a page per read.
 */
export function asyncStore(store: LogStore, reads?: LogReads): AsyncLogStore {
  const list: LogReads['list'] = reads ? (query) => reads.list(query) : async (query) => store.list(query);
  async function* iterate(filter: Filter, order: Order): AsyncGenerator<CapturedRecord> {
    const now = Date.now();
    let cursor: number | undefined;
    for (;;) {
      const page = await list({ filter, order, cursor, limit: ITERATE_PAGE, now, maxBytes: ITERATE_BYTES });
      yield* page.records;
      if (!page.nextCursor) return;
      cursor = Number(page.nextCursor);
    }
  }
  return {
    list,
    count: reads ? (filter) => reads.count(filter) : async (filter) => store.count(filter),
    get: reads ? (id) => reads.get(id) : async (id) => store.get(id),
    partnerOf: reads ? (record) => reads.partnerOf(record) : async (record) => store.partnerOf(record),
    stats: reads ? (query) => reads.stats(query) : async (query) => store.stats(query),
    sessions: reads ? (query) => reads.sessions(query) : async (query) => store.sessions(query),
    session: reads
      ? (sessionId, server) => reads.session(sessionId, server)
      : async (sessionId, server) => store.session(sessionId, server),
    timeline: reads ? (query) => reads.timeline(query) : async (query) => store.timeline(query),
    lastId: async () => store.lastId(),
    tail: (query) => tailByIds(list, query),
    iterate,
    clients: async (servers) => store.clients(servers),
    methods: async (server) => store.methods(server),
    serverTotals: async () => store.serverTotals(),
    values: async (field, prefix, limit, servers) => store.values(field, prefix, limit, servers),
    importRecords: (records) => store.importRecords(records),
    deleteMatching: (filter) => store.deleteMatching(filter),
    appendNote: async (note) => store.appendNote(note),
  };
}
