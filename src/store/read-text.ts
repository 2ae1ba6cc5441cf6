import { recordToJson, recordToSummaryJson } from '../core/record.js';
import type { LogStore, PageQuery, RecordPage, StatsQuery, TimelineQuery } from './log-store.js';

/** How a page of records is written: a JSON array (REST pages) or JSON Lines (exports). */
export type TextFormat = 'json' | 'jsonl';

/** A page of records already written as the API sends them (UTF-8), with what paging needs. */
export interface TextPage {
  bytes: Uint8Array<ArrayBuffer>;
  count: number;
  hasMore: boolean;
  nextCursor: string | null;
}

const encoder = new TextEncoder();

/**
 * The page as the REST API's JSON (whole records, or summaries when read without bodies). Written where
 * it was read: on a reader thread, the main thread then only copies bytes to the socket, instead of
 * cloning the records, mapping them and stringifying them between two proxied messages.
 */
export function pageText(page: RecordPage, bodies: boolean, format: TextFormat): TextPage {
  const toJson = bodies ? recordToJson : recordToSummaryJson;
  const text =
    format === 'json'
      ? JSON.stringify(page.records.map(toJson))
      : page.records.map((record) => `${JSON.stringify(toJson(record))}\n`).join('');
  return {
    bytes: encoder.encode(text),
    count: page.records.length,
    hasMore: page.hasMore,
    nextCursor: page.nextCursor,
  };
}

/** The reads whose answers go to a client as they are, written as text by whoever reads them. */
export function textReads(store: Pick<LogStore, 'list' | 'timeline' | 'stats' | 'get' | 'partnerOf'>) {
  return {
    /** One record whole with its request/response partner (`partner`, or null); null when there is none. */
    recordText: (id: number): Uint8Array<ArrayBuffer> | null => {
      const record = store.get(id);
      if (!record) return null;
      const partner = store.partnerOf(record);
      return encoder.encode(
        JSON.stringify({ ...recordToJson(record), partner: partner ? recordToJson(partner) : null }),
      );
    },
    listText: (query: PageQuery, format: TextFormat): TextPage =>
      pageText(store.list(query), query.bodies !== false, format),
    timelineText: (query: TimelineQuery): TextPage =>
      pageText(store.timeline(query), query.bodies !== false, 'json'),
    statsText: (query: StatsQuery): Uint8Array<ArrayBuffer> =>
      encoder.encode(JSON.stringify(store.stats(query))),
  };
}
