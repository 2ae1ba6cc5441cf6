import type { CapturedRecord } from '../core/record.js';
import { andFilters, type FieldTerm, type Filter } from '../filter/ast.js';
import type { LogReads } from '../store/log-reads.js';
import type { AsyncLogStore, RecordPage, TimelineQuery } from '../store/log-store.js';
import { inScope, type Scope, scopeFilter } from './scope.js';

/**
 * Reads and stores seen through a principal's server scope. Every query gets `server=<scope>` ANDed into
 * its filter, lists of sessions, clients, methods and totals keep only those servers, and a record or
 * session of another server is simply not there (a 404, never a 403: a name outside the scope does not
 * leak). `scope` is asked on every call (the request's principal, request-principal.ts), so one decorated
 * store serves every request.
 */

function within(filter: Filter, scope: Scope): Filter {
  return scope === null ? filter : andFilters(filter, scopeFilter(scope));
}

/** `id=n` as a filter term. */
function idIs(id: number): Filter {
  const term: FieldTerm = {
    type: 'field',
    field: 'id',
    op: '=',
    values: [id],
    raw: [String(id)],
    negated: false,
    position: 0,
  };
  return { terms: [term] };
}

const EMPTY_PAGE: RecordPage = { records: [], hasMore: false, nextCursor: null };

export function scopedReads(reads: LogReads, scope: () => Scope): LogReads {
  /** The record's server is in scope: one indexed row read without its body. */
  const visible = async (id: number, servers: Scope, signal?: AbortSignal) => {
    if (servers === null) return true;
    const page = await reads.list(
      { filter: within(idIs(id), servers), limit: 1, order: 'desc', bodies: false },
      signal,
    );
    return page.records.length > 0;
  };
  /** The session's server, when it is in scope; a session id on several visible servers needs `server`. */
  const timelineQuery = async (query: TimelineQuery, signal?: AbortSignal) => {
    const servers = scope();
    if (servers === null) return query;
    if (query.server !== undefined) return inScope(servers, query.server) ? query : null;
    const sessions = (await reads.session(query.sessionId, undefined, signal)).filter((s) =>
      inScope(servers, s.server),
    );
    return sessions.length === 1 ? { ...query, server: sessions[0]?.server } : null;
  };
  const seen = (record: CapturedRecord | null) =>
    record !== null && inScope(scope(), record.server) ? record : null;

  return {
    list: (query, signal) => reads.list({ ...query, filter: within(query.filter, scope()) }, signal),
    count: (filter, signal) => reads.count(within(filter, scope()), signal),
    get: async (id, signal) => seen(await reads.get(id, signal)),
    partnerOf: async (record, signal) => seen(await reads.partnerOf(record, signal)),
    stats: (query, signal) => reads.stats({ ...query, filter: within(query.filter, scope()) }, signal),
    sessions: (query, signal) => {
      const servers = scope();
      if (servers === null) return reads.sessions(query, signal);
      const asked = query.servers?.filter((s) => servers.includes(s)) ?? servers;
      return reads.sessions({ ...query, servers: asked }, signal);
    },
    session: async (sessionId, server, signal) => {
      const servers = scope();
      return (await reads.session(sessionId, server, signal)).filter((s) => inScope(servers, s.server));
    },
    timeline: async (query, signal) => {
      const scoped = await timelineQuery(query, signal);
      return scoped ? reads.timeline(scoped, signal) : EMPTY_PAGE;
    },
    listText: (query, format, signal) =>
      reads.listText({ ...query, filter: within(query.filter, scope()) }, format, signal),
    timelineText: async (query, signal) => {
      const scoped = await timelineQuery(query, signal);
      return scoped
        ? reads.timelineText(scoped, signal)
        : { bytes: new TextEncoder().encode('[]'), count: 0, hasMore: false, nextCursor: null };
    },
    statsText: (query, signal) =>
      reads.statsText({ ...query, filter: within(query.filter, scope()) }, signal),
    recordText: async (id, signal) =>
      (await visible(id, scope(), signal)) ? reads.recordText(id, signal) : null,
  };
}

/**
 * The store through the same scope: what routes read of it (clients, methods, server totals, autocomplete
 * values, the live tail) and what they change (deleting and importing records, which a scoped operator may
 * do only to its own servers' records).
 */
export function scopedStore(store: AsyncLogStore, scope: () => Scope): AsyncLogStore {
  const only = <T extends { server: string }>(rows: T[]): T[] => {
    const servers = scope();
    return servers === null ? rows : rows.filter((row) => servers.includes(row.server));
  };
  /** What the caller asked for, within the scope; undefined means every server. */
  const narrowed = (asked: readonly string[] | undefined): readonly string[] | undefined => {
    const servers = scope();
    if (servers === null) return asked;
    return asked === undefined ? servers : asked.filter((s) => servers.includes(s));
  };
  const seen = (record: CapturedRecord | null) =>
    record !== null && inScope(scope(), record.server) ? record : null;
  return {
    list: (query) => store.list({ ...query, filter: within(query.filter, scope()) }),
    count: (filter) => store.count(within(filter, scope())),
    get: async (id) => seen(await store.get(id)),
    partnerOf: async (record) => seen(await store.partnerOf(record)),
    lastId: () => store.lastId(),
    tail: (query) => store.tail({ ...query, filter: within(query.filter, scope()) }),
    iterate: (filter, order) => store.iterate(within(filter, scope()), order),
    sessions: (query) => store.sessions({ ...query, servers: narrowed(query.servers) }),
    session: async (sessionId, server) => {
      const servers = scope();
      return (await store.session(sessionId, server)).filter((s) => inScope(servers, s.server));
    },
    timeline: async (query) => {
      const servers = scope();
      if (servers !== null && (query.server === undefined || !servers.includes(query.server))) {
        return EMPTY_PAGE;
      }
      return store.timeline(query);
    },
    clients: (servers) => store.clients(narrowed(servers)),
    methods: async (server) => only(await store.methods(server)),
    serverTotals: async () => only(await store.serverTotals()),
    values: (field, prefix, limit, servers) => store.values(field, prefix, limit, narrowed(servers)),
    stats: (query) => store.stats({ ...query, filter: within(query.filter, scope()) }),
    importRecords: (records) => {
      const servers = scope();
      if (servers === null) return store.importRecords(records);
      // Records of other servers are left out here as well as refused line by line by the import route.
      async function* own() {
        for await (const record of records) if (servers?.includes(record.server)) yield record;
      }
      return store.importRecords(own());
    },
    deleteMatching: (filter) => store.deleteMatching(within(filter, scope())),
    appendNote: (note) => store.appendNote(note),
  };
}
