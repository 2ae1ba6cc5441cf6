import type { CapturedRecord } from '../core/record.js';
import type { Filter } from '../filter/ast.js';
import type {
  LogStore,
  Order,
  PageQuery,
  RecordPage,
  SessionPage,
  SessionQuery,
  SessionSummary,
  StatsQuery,
  TimelineQuery,
} from './log-store.js';
import { type TextFormat, type TextPage, textReads } from './read-text.js';
import type { StatsResult } from './stats.js';

/**
 * The store's reads that can take long (searches, statistics, timelines, exports), answered
 * asynchronously: by a pool of reader threads with their own connections (reader-pool.ts), so a heavy
 * query delays only itself and never the proxy on the main thread. It is also the shape a store on
 * another machine (PostgreSQL) answers in. `signal` drops work whose answer nobody waits for any more.
 */
export interface LogReads {
  list(query: PageQuery, signal?: AbortSignal): Promise<RecordPage>;
  count(filter: Filter, signal?: AbortSignal): Promise<number>;
  get(id: number, signal?: AbortSignal): Promise<CapturedRecord | null>;
  partnerOf(record: CapturedRecord, signal?: AbortSignal): Promise<CapturedRecord | null>;
  stats(query: StatsQuery, signal?: AbortSignal): Promise<StatsResult>;
  sessions(query: SessionQuery, signal?: AbortSignal): Promise<SessionPage>;
  session(sessionId: string, server?: string, signal?: AbortSignal): Promise<SessionSummary[]>;
  timeline(query: TimelineQuery, signal?: AbortSignal): Promise<RecordPage>;
  /** `list`, `timeline` and `stats` answered as the text a client is sent (read-text.ts). */
  listText(query: PageQuery, format: TextFormat, signal?: AbortSignal): Promise<TextPage>;
  timelineText(query: TimelineQuery, signal?: AbortSignal): Promise<TextPage>;
  statsText(query: StatsQuery, signal?: AbortSignal): Promise<Uint8Array<ArrayBuffer>>;
  recordText(id: number, signal?: AbortSignal): Promise<Uint8Array<ArrayBuffer> | null>;
}

export type ReadMethod = keyof LogReads;

/** The same reads on the calling thread: for tools that run no reader threads, and for tests. */
export function inlineReads(store: LogStore): LogReads {
  const text = textReads(store);
  return {
    list: async (query) => store.list(query),
    count: async (filter) => store.count(filter),
    get: async (id) => store.get(id),
    partnerOf: async (record) => store.partnerOf(record),
    stats: async (query) => store.stats(query),
    sessions: async (query) => store.sessions(query),
    session: async (sessionId, server) => store.session(sessionId, server),
    timeline: async (query) => store.timeline(query),
    listText: async (query, format) => text.listText(query, format),
    timelineText: async (query) => text.timelineText(query),
    statsText: async (query) => text.statsText(query),
    recordText: async (id) => text.recordText(id),
  };
}

/** Records fetched per read when walking a whole filter (exports): few reads, bounded memory. */
const WALK_PAGE = 500;
const WALK_BYTES = 8 * 1024 * 1024;

/** Every matching record as JSON Lines, page by page, each page written by the reader that read it. */
export async function* readAllText(
  reads: LogReads,
  filter: Filter,
  order: Order,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const now = Date.now();
  let cursor: number | undefined;
  for (;;) {
    const page = await reads.listText(
      { filter, order, cursor, limit: WALK_PAGE, now, maxBytes: WALK_BYTES },
      'jsonl',
      signal,
    );
    if (page.count > 0) yield page.bytes;
    if (!page.nextCursor) return;
    cursor = Number(page.nextCursor);
  }
}
