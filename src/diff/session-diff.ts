import { GatewayError } from '../core/errors.js';
import type { JsonDiff } from '../core/json-diff.js';
import { type CapturedRecord, type RecordSummaryJson, recordToSummaryJson } from '../core/record.js';
import { andFilters, type FieldTerm, type Filter } from '../filter/ast.js';
import type { LogReads } from '../store/log-reads.js';
import type { SessionSummary } from '../store/log-store.js';
import { type SessionJson, sessionToJson } from '../store/summary-json.js';
import { pairCalls } from './pair-calls.js';
import { diffMessages } from './record-diff.js';

/**
 * Two sessions compared call by call: their client→server requests paired by method, then by position
 * (pair-calls.ts), each pair's request params and answer diffed. Bounded by a cap, not paged: a session
 * with more than MAX_CALLS requests (after `filter`) is refused with how to narrow it, so an answer is
 * always one whole comparison.
 */
export const MAX_CALLS = 200;
/** Bytes of requests and answers read for one session, at most. */
export const MAX_SESSION_BYTES = 32 * 1024 * 1024;
/** Paths listed per request or answer diff. */
const MAX_ENTRIES_PER_CALL = 100;

export interface SessionRef {
  sessionId: string;
  /** Needed only when the id exists on several servers. */
  server?: string;
}

export interface CallSide {
  request: RecordSummaryJson;
  /** The answer (response or error), or null when none was captured. */
  response: RecordSummaryJson | null;
}

export type CallStatus = 'same' | 'differs' | 'only-a' | 'only-b';

export interface CallPairJson {
  method: string;
  status: CallStatus;
  a: CallSide | null;
  b: CallSide | null;
  /** For pairs: the requests' diff (params), and the answers' (null when neither was answered). */
  request: JsonDiff | null;
  response: JsonDiff | null;
}

export interface SessionsDiff {
  a: SessionJson;
  b: SessionJson;
  ignore: string[];
  /** The filter that narrowed the calls compared ("" for all of them). */
  filter: string;
  calls: CallPairJson[];
  totals: { calls: number; same: number; differs: number; onlyA: number; onlyB: number };
}

interface Call {
  request: CapturedRecord;
  response: CapturedRecord | null;
}

const term = (field: string, values: string[]): FieldTerm => ({
  type: 'field',
  field,
  op: '=',
  values,
  raw: values,
  negated: false,
  position: 0,
});

async function findSession(reads: LogReads, ref: SessionRef, side: 'a' | 'b', signal?: AbortSignal) {
  const sessions: SessionSummary[] = await reads.session(ref.sessionId, ref.server, signal);
  const session = sessions[0];
  if (!session) {
    throw new GatewayError(
      404,
      `No session "${ref.sessionId}"${ref.server ? ` on server "${ref.server}"` : ''} (${side}); GET /api/sessions lists them.`,
    );
  }
  if (sessions.length > 1) {
    throw new GatewayError(
      400,
      `Session "${ref.sessionId}" (${side}) exists on several servers (${sessions.map((s) => s.server).join(', ')}); add ${side}Server=<name>.`,
    );
  }
  return session;
}

/** The session's client→server requests, oldest first, each with its answer. */
async function callsOf(
  reads: LogReads,
  session: SessionSummary,
  narrow: Filter,
  filterText: string,
  side: 'a' | 'b',
  signal?: AbortSignal,
): Promise<Call[]> {
  const filter = andFilters(
    {
      terms: [
        term('server', [session.server]),
        term('session', [session.sessionId]),
        term('direction', ['client_to_server']),
        term('kind', ['request']),
      ],
    },
    narrow,
  );
  const requests: CapturedRecord[] = [];
  let bytes = 0;
  const tooMany = (what: string) =>
    new GatewayError(
      400,
      `Session "${session.sessionId}" (${side}) has ${what}; compare fewer calls with filter= (for example filter=method:tools/call${filterText ? `, added to "${filterText}"` : ''}), or compare two records with a=<id>&b=<id>.`,
    );
  let cursor: number | undefined;
  for (;;) {
    const page = await reads.list(
      { filter, order: 'asc', limit: MAX_CALLS + 1, cursor, bodies: true, maxBytes: MAX_SESSION_BYTES },
      signal,
    );
    for (const record of page.records) {
      requests.push(record);
      bytes += record.size;
    }
    if (requests.length > MAX_CALLS) throw tooMany(`more than ${MAX_CALLS} calls`);
    if (bytes > MAX_SESSION_BYTES) throw tooMany(`more than ${MAX_SESSION_BYTES / 1024 / 1024} MB of calls`);
    if (!page.nextCursor) break;
    cursor = Number(page.nextCursor);
  }
  const calls: Call[] = [];
  for (const request of requests) {
    const response = await reads.partnerOf(request, signal);
    bytes += response?.size ?? 0;
    if (bytes > MAX_SESSION_BYTES) throw tooMany(`more than ${MAX_SESSION_BYTES / 1024 / 1024} MB of calls`);
    calls.push({ request, response });
  }
  return calls;
}

const side = (call: Call | null): CallSide | null =>
  call
    ? {
        request: recordToSummaryJson(call.request),
        response: call.response ? recordToSummaryJson(call.response) : null,
      }
    : null;

export async function diffSessions(
  reads: LogReads,
  refs: { a: SessionRef; b: SessionRef },
  options: { ignore: readonly string[]; filter: Filter; filterText: string },
  signal?: AbortSignal,
): Promise<SessionsDiff> {
  const sessionA = await findSession(reads, refs.a, 'a', signal);
  const sessionB = await findSession(reads, refs.b, 'b', signal);
  const callsA = await callsOf(reads, sessionA, options.filter, options.filterText, 'a', signal);
  const callsB = await callsOf(reads, sessionB, options.filter, options.filterText, 'b', signal);
  const totals = { calls: 0, same: 0, differs: 0, onlyA: 0, onlyB: 0 };
  const calls = pairCalls(callsA, callsB, (call) => call.request.method ?? '').map((pair): CallPairJson => {
    totals.calls++;
    if (!pair.a || !pair.b) {
      if (pair.a) totals.onlyA++;
      else totals.onlyB++;
      return {
        method: pair.method,
        status: pair.a ? 'only-a' : 'only-b',
        a: side(pair.a),
        b: side(pair.b),
        request: null,
        response: null,
      };
    }
    const request = diffMessages(pair.a.request, pair.b.request, options.ignore, MAX_ENTRIES_PER_CALL);
    const answerA = pair.a.response;
    const answerB = pair.b.response;
    let response: JsonDiff | null = null;
    if (answerA && answerB) response = diffMessages(answerA, answerB, options.ignore, MAX_ENTRIES_PER_CALL);
    else if (answerA || answerB) {
      // One was answered and the other not: that is the difference.
      response = {
        entries: [
          answerA
            ? { path: '', kind: 'removed', before: '(answered)' }
            : { path: '', kind: 'added', after: '(answered)' },
        ],
        truncated: false,
      };
    }
    const same = request.entries.length === 0 && (response === null || response.entries.length === 0);
    if (same) totals.same++;
    else totals.differs++;
    return {
      method: pair.method,
      status: same ? 'same' : 'differs',
      a: side(pair.a),
      b: side(pair.b),
      request,
      response,
    };
  });
  return {
    a: sessionToJson(sessionA),
    b: sessionToJson(sessionB),
    ignore: [...options.ignore],
    filter: options.filterText,
    calls,
    totals,
  };
}
