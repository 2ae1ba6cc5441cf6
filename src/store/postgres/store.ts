import type pg from 'pg';
import { recordToJson } from '../../core/record.js';
import { tailByIds } from '../async-store.js';
import type { LogReads } from '../log-reads.js';
import type { AsyncLogStore } from '../log-store.js';
import { pageText } from '../read-text.js';
import { postgresDelete } from './delete.js';
import { postgresRecordQueries } from './record-queries.js';
import { postgresStats } from './stats.js';
import { postgresSummaryQueries } from './summary-queries.js';

/** The writes a user asks for (import, gateway notes), which the PostgreSQL writer side provides. */
export type PostgresUserWrites = Pick<AsyncLogStore, 'importRecords' | 'appendNote'>;

export interface PostgresStoreOptions {
  /** This gateway's name among those sharing the database (its records carry it). */
  instance: string;
  writes: PostgresUserWrites;
}

const encoder = new TextEncoder();

/** Work nobody waits for any more is not started (a query already sent runs to its end). */
function check(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}

async function checked<T>(signal: AbortSignal | undefined, read: () => Promise<T>): Promise<T> {
  check(signal);
  return read();
}

/**
 * The capture store on PostgreSQL: the AsyncLogStore contract and the LogReads text variants over one
 * pool. Reads never block the proxy: every query runs on the server, and the event loop only awaits it.
 */
export function postgresLogStore(pool: pg.Pool, options: PostgresStoreOptions): AsyncLogStore & LogReads {
  const records = postgresRecordQueries(pool);
  const stats = postgresStats(pool);
  const store: AsyncLogStore = {
    ...records,
    // Positions are record ids, as on SQLite. With several writers an id taken by a transaction that
    // commits after a later id's can be passed over by a feed already beyond it; ordering by commit
    // (transaction ids, pg_current_snapshot) is the PostgreSQL answer the contract leaves room for.
    tail: (query) => tailByIds(records.list, query),
    ...postgresSummaryQueries(pool),
    ...stats,
    ...postgresDelete(pool),
    importRecords: (input) => options.writes.importRecords(input),
    appendNote: (note) => options.writes.appendNote(note),
  };
  return {
    ...store,
    list: (query, signal?: AbortSignal) => checked(signal, () => store.list(query)),
    count: (filter, signal?: AbortSignal) => checked(signal, () => store.count(filter)),
    get: (id, signal?: AbortSignal) => checked(signal, () => store.get(id)),
    partnerOf: (record, signal?: AbortSignal) => checked(signal, () => store.partnerOf(record)),
    stats: (query, signal?: AbortSignal) => checked(signal, () => store.stats(query)),
    sessions: (query, signal?: AbortSignal) => checked(signal, () => store.sessions(query)),
    session: (sessionId, server?: string, signal?: AbortSignal) =>
      checked(signal, () => store.session(sessionId, server)),
    timeline: (query, signal?: AbortSignal) => checked(signal, () => store.timeline(query)),
    async listText(query, format, signal) {
      check(signal);
      return pageText(await store.list(query), query.bodies !== false, format);
    },
    async timelineText(query, signal) {
      check(signal);
      return pageText(await store.timeline(query), query.bodies !== false, 'json');
    },
    async statsText(query, signal) {
      check(signal);
      return encoder.encode(JSON.stringify(await store.stats(query)));
    },
    async recordText(id, signal) {
      check(signal);
      const record = await store.get(id);
      if (!record) return null;
      const partner = await store.partnerOf(record);
      return encoder.encode(
        JSON.stringify({ ...recordToJson(record), partner: partner ? recordToJson(partner) : null }),
      );
    },
  };
}
