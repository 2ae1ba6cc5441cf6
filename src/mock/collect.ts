import type { CapturedRecord } from '../core/record.js';
import { andFilters, type Filter } from '../filter/ast.js';
import { parseFilter } from '../filter/parser.js';
import type { LogReads } from '../store/log-reads.js';
import type { Fixture } from './fixture.js';
import { FixtureError } from './fixture.js';
import { fixtureFromRecords } from './from-records.js';

/** The reads a fixture is built with: the gateway's (scoped) reads, or a read-only store's. */
export type FixtureReads = Pick<LogReads, 'session' | 'timeline' | 'list' | 'partnerOf'>;

/** Records read per page, and a bound on the whole selection: a mock holds its answers in memory. */
const PAGE = 500;
const PAGE_BYTES = 8 * 1024 * 1024;
export const MAX_RECORDS = 20_000;
/** Message bytes a selection may hold (the gateway's API asks for less: it builds fixtures beside traffic). */
export const MAX_SELECTION_BYTES = 256 * 1024 * 1024;

export interface Limits {
  maxBytes: number;
}

export type Selection = { sessionId: string; server?: string } | { filter: string; server?: string };

const NARROW = 'narrow it (a session, or a filter such as "server:x method:tools/call")';

/** Counts what a selection holds, and stops it past the bounds: a mock keeps its answers in memory. */
class Budget {
  #records = 0;
  #bytes = 0;

  constructor(readonly limits: Limits) {}

  take(records: readonly CapturedRecord[]): void {
    this.#records += records.length;
    for (const record of records) this.#bytes += record.message.length;
    if (this.#records > MAX_RECORDS) {
      throw new FixtureError(`the selection holds more than ${MAX_RECORDS} records: ${NARROW}`);
    }
    if (this.#bytes > this.limits.maxBytes) {
      throw new FixtureError(
        `the selection's messages add up to more than ${Math.round(this.limits.maxBytes / 2 ** 20)} MiB: ${NARROW}`,
      );
    }
  }
}

async function sessionRecords(
  reads: FixtureReads,
  sessionId: string,
  server: string,
  budget: Budget,
): Promise<CapturedRecord[]> {
  const records: CapturedRecord[] = [];
  let cursor: number | undefined;
  for (;;) {
    const page = await reads.timeline({
      sessionId,
      server,
      limit: PAGE,
      cursor,
      bodies: true,
      maxBytes: PAGE_BYTES,
    });
    // The timeline also holds the server's stderr lines and gateway notes: only the session's messages count.
    const own = page.records.filter((r) => r.sessionId === sessionId);
    budget.take(own);
    records.push(...own);
    if (!page.nextCursor) return records;
    cursor = Number(page.nextCursor);
  }
}

async function filterRecords(reads: FixtureReads, filter: Filter, budget: Budget): Promise<CapturedRecord[]> {
  const records: CapturedRecord[] = [];
  const now = Date.now();
  let cursor: number | undefined;
  for (;;) {
    const page = await reads.list({
      filter,
      limit: PAGE,
      order: 'asc',
      cursor,
      now,
      bodies: true,
      maxBytes: PAGE_BYTES,
    });
    budget.take(page.records);
    records.push(...page.records);
    if (!page.nextCursor) break;
    cursor = Number(page.nextCursor);
  }
  // A filter may select a request without its answer (or the reverse): bring in the partner.
  const have = new Set(records.map((r) => r.id));
  const partners: CapturedRecord[] = [];
  for (const record of records) {
    if (record.kind !== 'request' && record.kind !== 'response' && record.kind !== 'error') continue;
    const partner = await reads.partnerOf(record);
    if (partner && !have.has(partner.id)) {
      budget.take([partner]);
      have.add(partner.id);
      partners.push(partner);
    }
  }
  return [...records, ...partners].sort((a, b) => a.id - b.id);
}

/** MCP 2026-07-28 opens with server/discover instead of initialize (MCP 2026-07-28, "Discovery"). */
const MODERN_VERSION = '2026-07-28';

const isOpening = (r: CapturedRecord) => r.method === 'initialize' || r.method === 'server/discover';

/**
 * The opening a selection left out, so the mock can answer the client's: the session's own, else the
 * server's latest one before the selection (else its latest). A 2026-07-28 client may discover on a connection of its own
 * (the SDK's stdio client probes server/discover in a process it then closes), so its recorded calls and
 * their opening need not share a session.
 */
async function openingOf(reads: FixtureReads, records: readonly CapturedRecord[]): Promise<CapturedRecord[]> {
  const first = records.find((r) => r.kind === 'request' && r.direction === 'client_to_server');
  if (records.some(isOpening) || !first) return [];
  const modern = records.some((r) => r.protocolVersion !== null && r.protocolVersion >= MODERN_VERSION);
  const method = modern ? 'server/discover' : 'initialize';
  const terms = `server:${JSON.stringify(first.server)} method:${method} kind:request`;
  const candidates = [
    ...(first.sessionId ? [parseFilter(`session:${JSON.stringify(first.sessionId)} ${terms}`)] : []),
    parseFilter(terms),
  ];
  // Before the selection first; then any, since a probe's process may write its captures after the calls'.
  for (const cursor of [first.id, undefined]) {
    for (const filter of candidates) {
      const page = await reads.list({ filter, limit: 1, order: 'desc', cursor, bodies: true });
      const request = page.records[0];
      const answer = request ? await reads.partnerOf(request) : null;
      if (request && answer) return [request, answer];
    }
  }
  return [];
}

/** The records with the opening they need, oldest first. */
async function withOpening(reads: FixtureReads, records: CapturedRecord[]): Promise<CapturedRecord[]> {
  const opening = await openingOf(reads, records);
  return opening.length ? [...opening, ...records].sort((a, b) => a.id - b.id) : records;
}

/**
 * The fixture of a selection: a session's traffic, or the records a filter (the gateway's filter language)
 * selects. Null when a session id names no session (the caller says so); FixtureError for a selection
 * that cannot make a mock.
 */
export async function buildFixture(
  reads: FixtureReads,
  selection: Selection,
  limits: Limits = { maxBytes: MAX_SELECTION_BYTES },
): Promise<{ fixture: Fixture; skipped: number } | null> {
  const budget = new Budget(limits);
  if ('sessionId' in selection) {
    const sessions = await reads.session(selection.sessionId, selection.server);
    if (sessions.length === 0) return null;
    if (sessions.length > 1) {
      throw new FixtureError(
        `session "${selection.sessionId}" exists on several servers (${sessions.map((s) => s.server).join(', ')}): name the server (--server <name>; server=<name> in the API)`,
      );
    }
    const server = (sessions[0] as { server: string }).server;
    const records = await withOpening(
      reads,
      await sessionRecords(reads, selection.sessionId, server, budget),
    );
    return fixtureFromRecords(records, { sessionId: selection.sessionId, filter: null });
  }
  const parsed = parseFilter(selection.filter);
  const filter = selection.server
    ? andFilters(parsed, parseFilter(`server:${JSON.stringify(selection.server)}`))
    : parsed;
  const records = await filterRecords(reads, filter, budget);
  if (records.length === 0) return null;
  return fixtureFromRecords(await withOpening(reads, records), { sessionId: null, filter: selection.filter });
}
