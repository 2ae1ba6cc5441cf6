import { GatewayError } from '../core/errors.js';
import { EMPTY_FILTER } from '../filter/ast.js';
import { parseFilter } from '../filter/parser.js';
import type { LogReads } from '../store/log-reads.js';
import { diffRecords, JSONRPC_ID_POINTER, type RecordsDiff } from './record-diff.js';
import { diffSessions, type SessionsDiff } from './session-diff.js';

/**
 * One comparison as the REST API (`GET /api/diff`) and the management tool (`diff_records`) ask for it:
 * `a` and `b` are two record ids, or two sessions written `session:<id>`.
 */
export interface DiffRequest {
  a: string;
  b: string;
  /** More JSON Pointers whose differences do not count (`/params/_meta`, `/result/content/0/text`). */
  ignore?: readonly string[];
  /** False compares JSON-RPC ids too (they are ignored by default). */
  ignoreId?: boolean;
  /** The server of a session id that exists on several servers. */
  aServer?: string;
  bServer?: string;
  /** Sessions only: compare just the calls this filter matches. */
  filter?: string;
}

export type DiffResult = ({ type: 'records' } & RecordsDiff) | ({ type: 'sessions' } & SessionsDiff);

export const SESSION_PREFIX = 'session:';
const MAX_IGNORE = 50;

type Target = { kind: 'record'; id: number } | { kind: 'session'; sessionId: string };

function target(value: string, name: 'a' | 'b'): Target {
  if (value.startsWith(SESSION_PREFIX)) {
    const sessionId = value.slice(SESSION_PREFIX.length);
    if (sessionId === '')
      throw new GatewayError(400, `"${name}" names no session: write ${name}=session:<session id>.`);
    return { kind: 'session', sessionId };
  }
  const id = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(id) || id < 1) {
    throw new GatewayError(
      400,
      `"${name}" must be a record id (a whole number such as 42) or a session written session:<id>; got "${value}".`,
    );
  }
  return { kind: 'record', id };
}

/** The pointers to ignore: the JSON-RPC id unless `ignoreId` is false, and those asked for. */
export function ignoredPointers(extra: readonly string[] = [], ignoreId = true): string[] {
  if (extra.length > MAX_IGNORE) {
    throw new GatewayError(400, `At most ${MAX_IGNORE} "ignore" pointers; got ${extra.length}.`);
  }
  for (const pointer of extra) {
    // RFC 6901: a pointer is "" (the whole value) or starts with "/".
    if (!pointer.startsWith('/')) {
      throw new GatewayError(
        400,
        `"ignore" takes JSON Pointers such as /params/_meta or /result/content/0/text; "${pointer}" does not start with "/".`,
      );
    }
  }
  return [...new Set([...(ignoreId ? [JSONRPC_ID_POINTER] : []), ...extra])];
}

export async function runDiff(
  reads: LogReads,
  request: DiffRequest,
  signal?: AbortSignal,
): Promise<DiffResult> {
  if (request.a === undefined || request.b === undefined || request.a === '' || request.b === '') {
    throw new GatewayError(
      400,
      'Say what to compare: a=<record id>&b=<record id>, or a=session:<id>&b=session:<id> for two sessions.',
    );
  }
  const a = target(request.a, 'a');
  const b = target(request.b, 'b');
  const ignore = ignoredPointers(request.ignore, request.ignoreId ?? true);
  if (a.kind === 'record' && b.kind === 'record') {
    if (request.filter) {
      throw new GatewayError(
        400,
        '"filter" narrows the calls of two sessions; it does not apply to two records.',
      );
    }
    return { type: 'records', ...(await diffRecords(reads, a.id, b.id, ignore, signal)) };
  }
  if (a.kind === 'session' && b.kind === 'session') {
    const filterText = request.filter ?? '';
    return {
      type: 'sessions',
      ...(await diffSessions(
        reads,
        {
          a: { sessionId: a.sessionId, ...(request.aServer ? { server: request.aServer } : {}) },
          b: { sessionId: b.sessionId, ...(request.bServer ? { server: request.bServer } : {}) },
        },
        { ignore, filter: filterText ? parseFilter(filterText) : EMPTY_FILTER, filterText },
        signal,
      )),
    };
  }
  throw new GatewayError(
    400,
    'Compare a record with a record (a=<id>&b=<id>) or a session with a session (a=session:<id>&b=session:<id>), not one with the other.',
  );
}
