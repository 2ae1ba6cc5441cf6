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

export type Selection = { sessionId: string; server?: string } | { filter: string; server?: string };

function tooMany(): FixtureError {
  return new FixtureError(
    `the selection holds more than ${MAX_RECORDS} records: narrow it (a session, or a filter such as "server:x method:tools/call")`,
  );
}

async function sessionRecords(
  reads: FixtureReads,
  sessionId: string,
  server: string,
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
    records.push(...page.records.filter((r) => r.sessionId === sessionId));
    if (records.length > MAX_RECORDS) throw tooMany();
    if (!page.nextCursor) return records;
    cursor = Number(page.nextCursor);
  }
}

async function filterRecords(reads: FixtureReads, filter: Filter): Promise<CapturedRecord[]> {
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
    records.push(...page.records);
    if (records.length > MAX_RECORDS) throw tooMany();
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
      have.add(partner.id);
      partners.push(partner);
    }
  }
  return [...records, ...partners].sort((a, b) => a.id - b.id);
}

/** The opening of the first session in the records, when the filter left it out (a mock must answer it). */
async function openingOf(reads: FixtureReads, records: readonly CapturedRecord[]): Promise<CapturedRecord[]> {
  const hasOpening = records.some((r) => r.method === 'initialize' || r.method === 'server/discover');
  const first = records.find((r) => r.sessionId !== null && r.kind === 'request');
  if (hasOpening || !first?.sessionId) return [];
  const quoted = JSON.stringify(first.sessionId);
  const filter = parseFilter(
    `session:${quoted} server:${JSON.stringify(first.server)} method:initialize,server/discover`,
  );
  return filterRecords(reads, filter);
}

/**
 * The fixture of a selection: a session's traffic, or the records a filter (the gateway's filter language)
 * selects. Null when a session id names no session (the caller says so); FixtureError for a selection
 * that cannot make a mock.
 */
export async function buildFixture(
  reads: FixtureReads,
  selection: Selection,
): Promise<{ fixture: Fixture; skipped: number } | null> {
  if ('sessionId' in selection) {
    const sessions = await reads.session(selection.sessionId, selection.server);
    if (sessions.length === 0) return null;
    if (sessions.length > 1) {
      throw new FixtureError(
        `session "${selection.sessionId}" exists on several servers (${sessions.map((s) => s.server).join(', ')}): pass --server <name>`,
      );
    }
    const server = (sessions[0] as { server: string }).server;
    const records = await sessionRecords(reads, selection.sessionId, server);
    return fixtureFromRecords(records, { sessionId: selection.sessionId, filter: null });
  }
  const parsed = parseFilter(selection.filter);
  const filter = selection.server
    ? andFilters(parsed, parseFilter(`server:${JSON.stringify(selection.server)}`))
    : parsed;
  const records = await filterRecords(reads, filter);
  if (records.length === 0) return null;
  const opening = await openingOf(reads, records);
  const all = opening.length
    ? [...new Map([...opening, ...records].map((r) => [r.id, r])).values()].sort((a, b) => a.id - b.id)
    : records;
  return fixtureFromRecords(all, { sessionId: null, filter: selection.filter });
}
