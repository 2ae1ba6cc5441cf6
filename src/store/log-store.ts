import type { CapturedRecord, NewRecord } from '../core/record.js';
import type { SessionInfo } from '../core/session.js';
import type { Filter } from '../filter/ast.js';
import type { StatsResult } from './stats.js';

/**
 * What the REST API, the live feed and the management MCP server read and change in the capture store.
 * Filters arrive parsed (the AST), so a store compiles them its own way: SQLite here; a shared PostgreSQL
 * store can implement the same interface.
 */

export type Order = 'asc' | 'desc';

export interface PageQuery {
  filter: Filter;
  limit: number;
  order: Order;
  /** Keyset cursor: the id of the last record of the previous page. */
  cursor?: number;
  /** "Now" for relative times in the filter; defaults to the current time. */
  now?: number;
  /** False reads rows without the message text and headers (they come back empty): lists of rows need neither. */
  bodies?: boolean;
  /**
   * With bodies, the page ends early once its messages add up to this many bytes (it always holds at least
   * one record; `hasMore` and `nextCursor` lead on), so memory stays bounded whatever the payload sizes.
   */
  maxBytes?: number;
}

export interface RecordPage {
  records: CapturedRecord[];
  hasMore: boolean;
  nextCursor: string | null;
}

/** A session as initialize described it, with its running totals. */
export interface SessionSummary extends SessionInfo {
  /** The store's own key for the session (its cursor in listings). */
  key: number;
  lastSeen: number | null;
  messages: number;
  errors: number;
}

export interface SessionQuery {
  server?: string;
  /** Only sessions of these servers (a token's server scope); all when left out. */
  servers?: readonly string[];
  client?: string;
  limit: number;
  cursor?: number;
}

export interface SessionPage {
  sessions: SessionSummary[];
  hasMore: boolean;
  nextCursor: string | null;
}

export interface TimelineQuery {
  sessionId: string;
  server?: string;
  limit: number;
  cursor?: number;
  /** As in `PageQuery`: false leaves out message text and headers; `maxBytes` ends a page of bodies early. */
  bodies?: boolean;
  maxBytes?: number;
}

export interface ClientSummary {
  name: string;
  version: string | null;
  servers: string[];
  sessions: number;
  messages: number;
  errors: number;
  firstSeen: number;
  lastSeen: number | null;
}

export interface MethodSummary {
  server: string;
  /** Null for records that carry no method (stderr lines, non-JSON-RPC bodies). */
  method: string | null;
  messages: number;
  requests: number;
  errors: number;
  /** Mean time to answer, over answers that were timed. */
  avgDurationMs: number | null;
  tokens: number;
  lastSeen: number | null;
}

export interface ServerTotals {
  server: string;
  messages: number;
  errors: number;
  sessions: number;
  lastSeen: number | null;
}

export interface StatsQuery {
  filter: Filter;
  from: number;
  to: number;
  bucketMs: number;
  groupBy: 'server' | 'method' | 'server+method';
}

/** Fields of open-ended values the filter language can autocomplete. */
export type ValueField = 'servers' | 'methods' | 'clients' | 'sessions';

export interface ImportResult {
  imported: number;
}

export interface LogStore {
  list(query: PageQuery): RecordPage;
  /** How many records match: what a delete of the same filter would remove (asked before a Clear). */
  count(filter: Filter): number;
  get(id: number): CapturedRecord | null;
  /** The request a response answers, or the response that answered a request. */
  partnerOf(record: CapturedRecord): CapturedRecord | null;
  /** The highest record id so far (0 when empty): where a live feed starts. */
  lastId(): number;
  /** Every matching record, oldest first (or newest), fetched page by page. */
  iterate(filter: Filter, order: Order): Iterable<CapturedRecord>;

  sessions(query: SessionQuery): SessionPage;
  /** The sessions with this id (normally one; the same id on two servers gives two). */
  session(sessionId: string, server?: string): SessionSummary[];
  timeline(query: TimelineQuery): RecordPage;
  /** `servers` counts only those servers' sessions (a token's server scope). */
  clients(servers?: readonly string[]): ClientSummary[];
  methods(server?: string): MethodSummary[];
  serverTotals(): ServerTotals[];
  values(field: ValueField, prefix: string, limit: number, servers?: readonly string[]): string[];
  stats(query: StatsQuery): StatsResult;

  /** Stores records (new ids; partners re-linked within what is imported), a batch per transaction. */
  importRecords(records: AsyncIterable<NewRecord & { originalId?: number }>): Promise<ImportResult>;
  /** Deletes what matches, oldest first, in small transactions so capture is never held up. */
  deleteMatching(filter: Filter): Promise<number>;
  /** A gateway note on a server's timeline (a health change); returns its id. */
  appendNote(note: { server: string; text: string; note: string; time?: number }): number;
}

/** A page of the records committed after a position in the store's commit order (the live feed's read). */
export interface TailQuery {
  filter: Filter;
  /** The position read from: the previous page's `cursor`, or `lastId()` when a feed starts. */
  after: number;
  /** The position read up to (a `lastId()` answer): what a tick of the feed reads, and no further. */
  through: number;
  limit: number;
  /** As in `PageQuery`: false leaves out message text and headers; `maxBytes` ends a page of bodies early. */
  bodies?: boolean;
  maxBytes?: number;
}

export interface TailPage {
  records: CapturedRecord[];
  /** Where the next page starts; every record committed at or before it has been looked at. */
  cursor: number;
  /** The page ended at `limit` or `maxBytes` with records still to come: `cursor` is its last record's. */
  hasMore: boolean;
}

/**
 * The store contract every backend answers asynchronously: SQLite through its reader threads and an
 * adapter over `LogStore`, PostgreSQL over the network. The same methods as `LogStore`, with `iterate`
 * walking pages as they arrive.
 */
export interface AsyncLogStore {
  list(query: PageQuery): Promise<RecordPage>;
  count(filter: Filter): Promise<number>;
  get(id: number): Promise<CapturedRecord | null>;
  partnerOf(record: CapturedRecord): Promise<CapturedRecord | null>;
  /**
   * The newest position in the store's commit order (0 when empty): where a live feed starts and how far a
   * tick reads. On SQLite it is the highest record id (one writer commits ids in order); a backend with
   * several writers answers a position below which nothing can still commit.
   */
  lastId(): Promise<number>;
  /**
   * The records committed after `after`, oldest first, for the live feed. Positions, not record ids, are
   * what it follows: with several writers, ids do not arrive in commit order and a feed reading
   * `id > cursor` would skip the late ones.
   */
  tail(query: TailQuery): Promise<TailPage>;
  iterate(filter: Filter, order: Order): AsyncIterable<CapturedRecord>;
  sessions(query: SessionQuery): Promise<SessionPage>;
  session(sessionId: string, server?: string): Promise<SessionSummary[]>;
  timeline(query: TimelineQuery): Promise<RecordPage>;
  clients(servers?: readonly string[]): Promise<ClientSummary[]>;
  methods(server?: string): Promise<MethodSummary[]>;
  serverTotals(): Promise<ServerTotals[]>;
  values(field: ValueField, prefix: string, limit: number, servers?: readonly string[]): Promise<string[]>;
  stats(query: StatsQuery): Promise<StatsResult>;
  importRecords(records: AsyncIterable<NewRecord & { originalId?: number }>): Promise<ImportResult>;
  deleteMatching(filter: Filter): Promise<number>;
  appendNote(note: { server: string; text: string; note: string; time?: number }): Promise<number>;
}
