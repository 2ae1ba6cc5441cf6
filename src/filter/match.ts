import type { JsonRpcId } from '../core/errors.js';
import type { Direction, MessageKind } from '../core/jsonrpc.js';
import type { CapturedRecord, TransportDetail } from '../core/record.js';
import { searchText } from '../core/search-text.js';
import type { FieldTerm, Filter, Operator, TextTerm } from './ast.js';
import { FilterError } from './errors.js';
import { foldText, phraseIn, tokenize } from './match-text.js';
import { resolveTime, type TimeSpec } from './values.js';

/**
 * A parsed filter evaluated against one message in memory: a message in flight (breakpoints, fault rules)
 * or a stored record. It gives the same answers as the SQL compiler (filter/sql.ts) over the same facts,
 * which test/filter/match.test.ts pins over the documented examples; comments name the SQL behaviour each
 * rule copies (NULL never matches, `LIKE` folds ASCII case only, free text is FTS5's unicode61 tokens).
 */

/** What is known of a message, whether it is in flight or stored: a record's fields, by the same names. */
export interface MatchFacts {
  server: string;
  direction: Direction;
  kind: MessageKind;
  method: string | null;
  jsonrpcId: JsonRpcId | undefined;
  sessionId: string | null;
  clientName: string | null;
  protocolVersion: string | null;
  transport: TransportDetail | null;
  httpStatus: number | null;
  errorCode: number | null;
  errorMessage: string | null;
  size: number;
  summary: string;
  note: string | null;
  userAgent: string | null;
  tokens: number | null;
  truncated: boolean;
  /** The message as text (JSON where it is JSON). */
  message: string;
  /** The message parsed, when the caller has it (saves parsing it again). */
  value?: unknown;
  /** Only a stored record has these: a message in flight has no id, time of storage or answer yet. */
  id?: number;
  time?: number;
  durationMs?: number | null;
  linkedId?: number | null;
  partnerId?: number | null;
  redactions?: number;
  /** The gateway instance that captured it (a shared store names it on each record). */
  instance?: string | null;
}

export interface MatchContext {
  /** "Now" for relative times (`last:15m`). */
  now: number;
}

/** Why a field cannot be asked of a message in flight; a rule using one is refused with this. */
const RECORD_ONLY: Readonly<Record<string, string>> = {
  duration: 'a message in flight has no duration yet: it is measured on the stored response',
  time: 'a message in flight is matched as it passes, not by when it was stored',
  after: 'a message in flight is matched as it passes, not by when it was stored',
  before: 'a message in flight is matched as it passes, not by when it was stored',
  last: 'a message in flight is matched as it passes, not by when it was stored',
  id: 'a message in flight has no record id yet',
  linked: 'links between records are made when they are stored',
  note: 'notes are written when the record is stored',
};

/** `has:` flags that only a stored record can have. */
const RECORD_ONLY_FLAGS: Readonly<Record<string, string>> = {
  duration: 'a message in flight has no duration yet',
  partner: 'a message in flight is not paired with its request until it is stored',
  linked: 'links between records are made when they are stored',
  note: 'notes are written when the record is stored',
  redacted: 'redaction happens when the record is stored',
  truncated: 'truncation happens when the record is stored',
};

/**
 * The first term of `filter` that asks about something only a stored record has (a duration, a time, an
 * id), as a FilterError naming the field, or null when the filter can be evaluated on a message in flight.
 */
export function inFlightProblem(filter: Filter): FilterError | null {
  for (const term of filter.terms) {
    if (term.type !== 'field') continue;
    const why =
      RECORD_ONLY[term.field] ??
      (term.field === 'has'
        ? term.values.map((v) => RECORD_ONLY_FLAGS[v as string]).find((w) => w !== undefined)
        : undefined);
    if (why === undefined) continue;
    const what = term.field === 'has' ? `has:${term.raw.join(',')}` : term.field;
    return new FilterError(
      `${what} cannot be used in a rule that holds messages in flight (${why}); match on server, method, tool, client, direction, kind or text instead`,
      term.position,
      term.field.length,
      null,
    );
  }
  return null;
}

/** The tool a tools/call request calls, from its parsed value. */
export function toolOf(facts: Pick<MatchFacts, 'method' | 'kind' | 'message' | 'value'>): string | null {
  if (facts.method !== 'tools/call' || facts.kind !== 'request') return null;
  const value = facts.value !== undefined ? facts.value : parseQuietly(facts.message);
  const name = (value as { params?: { name?: unknown } } | null | undefined)?.params?.name;
  return typeof name === 'string' ? name : null;
}

function parseQuietly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** SQLite's `LIKE` folds ASCII letters only. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function likeWildcard(pattern: string): RegExp {
  const body = asciiLower(pattern)
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${body}$`);
}

type Value = string | number | null | undefined;

function textMatches(op: Operator, actual: Value, values: readonly unknown[]): boolean {
  if (actual === null || actual === undefined) return false;
  const text = String(actual);
  return (values as string[]).some((v) => {
    if (op === 'contains') return asciiLower(text).includes(asciiLower(v));
    if (op === 'is' && v.includes('*')) return likeWildcard(v).test(asciiLower(text));
    return text === v;
  });
}

function compare(op: Operator, actual: number, expected: number): boolean {
  switch (op) {
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    default:
      return actual === expected;
  }
}

function orderedMatches(
  op: Operator,
  actual: Value,
  values: readonly unknown[],
  toNumber: (v: unknown) => number = (v) => v as number,
): boolean {
  if (actual === null || actual === undefined) return false;
  const n = Number(actual);
  return values.some((value) =>
    Array.isArray(value)
      ? n >= (value[0] as number) && n <= (value[1] as number)
      : compare(op, n, toNumber(value)),
  );
}

const FLAGS: Readonly<Record<string, (f: MatchFacts) => boolean>> = {
  error: (f) => f.kind === 'error' || f.errorMessage !== null || (f.httpStatus ?? 0) >= 400,
  duration: (f) => f.durationMs !== null && f.durationMs !== undefined,
  tokens: (f) => f.tokens !== null,
  session: (f) => f.sessionId !== null,
  protocol: (f) => f.protocolVersion !== null,
  partner: (f) => f.partnerId !== null && f.partnerId !== undefined,
  linked: (f) => f.linkedId !== null && f.linkedId !== undefined,
  note: (f) => f.note !== null,
  truncated: (f) => f.truncated,
  redacted: (f) => (f.redactions ?? 0) > 0,
};

/** Text fields: the fact each reads. */
const TEXT: Readonly<Record<string, (f: MatchFacts) => Value>> = {
  server: (f) => f.server,
  session: (f) => f.sessionId,
  client: (f) => f.clientName,
  protocol: (f) => f.protocolVersion,
  method: (f) => f.method,
  tool: (f) => toolOf(f),
  error: (f) => f.errorMessage,
  summary: (f) => f.summary,
  note: (f) => f.note,
  useragent: (f) => f.userAgent,
  instance: (f) => f.instance,
  direction: (f) => f.direction,
  kind: (f) => f.kind,
  transport: (f) => f.transport,
};

/** Ordered fields: the fact each compares. */
const ORDERED: Readonly<Record<string, (f: MatchFacts) => Value>> = {
  status: (f) => f.httpStatus,
  code: (f) => f.errorCode,
  duration: (f) => f.durationMs,
  tokens: (f) => f.tokens,
  size: (f) => f.size,
  id: (f) => f.id,
  linked: (f) => f.linkedId,
};

/** JSON-RPC ids are stored as JSON; `rpcid:7` finds 7 and "7" (see special-fields.ts). */
function rpcIdMatches(actual: JsonRpcId | undefined, values: readonly unknown[]): boolean {
  if (actual === undefined) return false;
  const stored = JSON.stringify(actual);
  return (values as string[]).some(
    (v) => stored === JSON.stringify(v) || (/^-?\d+(\.\d+)?$/.test(v) && stored === v),
  );
}

function fieldHolds(term: FieldTerm, facts: MatchFacts, ctx: MatchContext): boolean {
  const op: Operator = term.op === '!=' ? '=' : term.op;
  const time = (v: unknown) => resolveTime(v as TimeSpec, ctx.now);
  switch (term.field) {
    case 'has':
      return term.values.some((v) => FLAGS[v as string]?.(facts) ?? false);
    case 'rpcid':
      return rpcIdMatches(facts.jsonrpcId, term.values);
    case 'time':
      return orderedMatches(op, facts.time, term.values, time);
    case 'after':
      return orderedMatches('>=', facts.time, term.values, time);
    case 'before':
      return orderedMatches('<', facts.time, term.values, time);
    case 'last':
      return orderedMatches('>=', facts.time, term.values, time);
  }
  const text = TEXT[term.field];
  if (text) return textMatches(op, text(facts), term.values);
  const ordered = ORDERED[term.field];
  if (ordered) return orderedMatches(op, ordered(facts), term.values);
  throw new Error(`filter field "${term.field}" has no in-memory matcher`);
}

/** Punctuation-only text is a substring of the summary or the message (filter/sql.ts `substring`). */
function textHolds(term: TextTerm, facts: MatchFacts, tokens: () => string[]): boolean {
  if (!/[\p{L}\p{N}]/u.test(term.text)) {
    const needle = asciiLower(term.text);
    return asciiLower(facts.summary).includes(needle) || asciiLower(facts.message).includes(needle);
  }
  return phraseIn(tokens(), tokenize(term.text), term.prefix);
}

/** Whether `facts` satisfies every term of `filter` (an empty filter matches everything). */
export function matchFilter(filter: Filter, facts: MatchFacts, ctx: MatchContext): boolean {
  let tokens: string[] | null = null;
  const indexed = () => {
    tokens ??= tokenize(foldText(searchText(facts, facts.value)));
    return tokens;
  };
  for (const term of filter.terms) {
    const holds = term.type === 'text' ? textHolds(term, facts, indexed) : fieldHolds(term, facts, ctx);
    const negated = term.type === 'field' ? term.negated !== (term.op === '!=') : term.negated;
    if (holds === negated) return false;
  }
  return true;
}

/** A stored record's facts: a record has every field the matcher reads. */
export function recordFacts(record: CapturedRecord): MatchFacts {
  return record;
}
