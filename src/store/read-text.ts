import { type CapturedRecord, recordJsonParts, recordToJson, recordToSummaryJson } from '../core/record.js';
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
 * A record as the API writes it, in pieces: the JSON text of `recordToJson`, with the message written on
 * its own. One non-ASCII character anywhere (a summary's "…") makes V8 build a whole joined string two
 * bytes a character, then transcode all of it to UTF-8; kept apart, a large ASCII body stays one byte a
 * character and is copied out as it is: a page of 50 bodies of 600 KB in about a third of the time.
 */
function recordPieces(record: CapturedRecord, bodies: boolean, into: string[]): void {
  if (!bodies) {
    into.push(JSON.stringify(recordToSummaryJson(record)));
    return;
  }
  const { head, message, tail } = recordJsonParts(record);
  into.push(
    JSON.stringify(head).slice(0, -1),
    ',"message":',
    JSON.stringify(message),
    ',',
    JSON.stringify(tail).slice(1),
  );
}

/**
 * The pieces as UTF-8 in one buffer of its own (never Node's shared pool: reader threads transfer it).
 */
function utf8(pieces: readonly string[]): Uint8Array<ArrayBuffer> {
  let total = 0;
  for (const piece of pieces) total += Buffer.byteLength(piece);
  const out = Buffer.allocUnsafeSlow(total);
  let at = 0;
  for (const piece of pieces) at += out.write(piece, at);
  return new Uint8Array(out.buffer, out.byteOffset, total) as Uint8Array<ArrayBuffer>;
}

/**
 * The page as the REST API's JSON (whole records, or summaries when read without bodies). Written where
 * it was read: on a reader thread, the main thread then only copies bytes to the socket, instead of
 * cloning the records, mapping them and stringifying them between two proxied messages.
 */
export function pageText(page: RecordPage, bodies: boolean, format: TextFormat): TextPage {
  const pieces: string[] = [];
  if (format === 'json') pieces.push('[');
  page.records.forEach((record, index) => {
    if (format === 'json' && index > 0) pieces.push(',');
    recordPieces(record, bodies, pieces);
    if (format === 'jsonl') pieces.push('\n');
  });
  if (format === 'json') pieces.push(']');
  return {
    bytes: utf8(pieces),
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
