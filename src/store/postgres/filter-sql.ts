import type { FieldTerm, Filter, TextTerm } from '../../filter/ast.js';
import { type CompileContext, likePattern } from '../../filter/field-kinds.js';
import { tokenize } from '../../filter/match-text.js';
import { resolveTime, type TimeSpec } from '../../filter/values.js';

/**
 * The filter language compiled for PostgreSQL: the same answers as the SQLite compiler (filter/sql.ts)
 * and the in-memory matcher (filter/match.ts), in PostgreSQL's own SQL. Conditions apply to `records r`;
 * every value the user typed travels as a `$n` parameter, pushed onto `params`.
 */

type Bind = (value: unknown) => string;
type FieldSql = (term: FieldTerm, op: FieldTerm['op'], bind: Bind, ctx: CompileContext) => string;

// SQLite's LIKE folds ASCII letters only (and match.ts copies it); PostgreSQL's ILIKE folds every letter.
// Folding both sides with translate() gives SQLite's answer for "É" and "é" too.
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
const folded = (column: string) => `translate(${column}, '${UPPER}', '${LOWER}')`;

const anyOf = (parts: string[]) => (parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`);

/** `:` is equality with `*` as a wildcard, `=` exact, `~` an ASCII-case-insensitive substring. */
function text(column: string): FieldSql {
  return (term, op, bind) => {
    const values = term.values as string[];
    if (op === 'contains') {
      return anyOf(values.map((v) => `${folded(column)} LIKE ${bind(`%${likePattern(asciiLower(v))}%`)}`));
    }
    const patterns = op === 'is' ? values.filter((v) => v.includes('*')) : [];
    const exact = values.filter((v) => !patterns.includes(v));
    const parts = patterns.map(
      (v) => `${folded(column)} LIKE ${bind(likePattern(asciiLower(v)).replaceAll('*', '%'))}`,
    );
    if (exact.length > 0) parts.unshift(`${column} IN (${exact.map(bind).join(', ')})`);
    return anyOf(parts);
  };
}

/** Numbers compare as float8 (sizes and tokens may be fractional); ids as bigint, so the index serves. */
function ordered(column: string, cast: 'float8' | 'bigint' = 'float8', time = false): FieldSql {
  return (term, op, bind, ctx) =>
    anyOf(
      term.values.map((value) => {
        if (Array.isArray(value)) return `${column} BETWEEN ${bind(value[0])} AND ${bind(value[1])}`;
        const n = time ? resolveTime(value as TimeSpec, ctx.now) : (value as number);
        const sqlOp = op === 'is' || op === 'contains' || op === '!=' ? '=' : op;
        return `${column} ${sqlOp} ${bind(n)}::${cast}`;
      }),
    );
}

function bound(sqlOp: '>=' | '<'): FieldSql {
  return (term, _op, bind, ctx) =>
    anyOf(term.values.map((v) => `r.time ${sqlOp} ${bind(resolveTime(v as TimeSpec, ctx.now))}::float8`));
}

const FLAGS: Readonly<Record<string, string>> = {
  error: "(r.kind = 'error' OR r.error_message IS NOT NULL OR r.http_status >= 400)",
  duration: 'r.duration_ms IS NOT NULL',
  tokens: 'r.tokens IS NOT NULL',
  session: 'r.session_id IS NOT NULL',
  protocol: 'r.protocol_version IS NOT NULL',
  partner: 'r.partner_id IS NOT NULL',
  linked: 'r.linked_id IS NOT NULL',
  note: 'r.note IS NOT NULL',
  truncated: 'r.truncated = 1',
  redacted: 'r.redactions > 0',
};

/** The tool of a tools/call request; mcp_tool_name (migrations-reads.ts) gives NULL for invalid JSON. */
const TOOL = "(CASE WHEN r.method = 'tools/call' AND r.kind = 'request' THEN mcp_tool_name(r.message) END)";

const equals: (column: string) => FieldSql = (column) => (term, _op, bind) =>
  `${column} IN (${term.values.map(bind).join(', ')})`;

const FIELDS: Readonly<Record<string, FieldSql>> = {
  server: text('r.server'),
  session: text('r.session_id'),
  client: text('r.client_name'),
  protocol: text('r.protocol_version'),
  method: text('r.method'),
  tool: text(TOOL),
  direction: equals('r.direction'),
  kind: equals('r.kind'),
  transport: equals('r.transport'),
  status: ordered('r.http_status'),
  code: ordered('r.error_code'),
  error: text('r.error_message'),
  duration: ordered('r.duration_ms'),
  tokens: ordered('r.tokens'),
  size: ordered('r.size'),
  time: ordered('r.time', 'float8', true),
  after: bound('>='),
  before: bound('<'),
  last: bound('>='),
  id: ordered('r.id', 'bigint'),
  linked: ordered('r.linked_id', 'bigint'),
  // JSON-RPC ids are stored as JSON: 7 is `7`, "7" is `"7"`; `rpcid:7` finds both (special-fields.ts).
  rpcid: (term, _op, bind) =>
    anyOf(
      (term.values as string[]).map(
        (v) =>
          `r.jsonrpc_id IN (${bind(JSON.stringify(v))}, ${bind(/^-?\d+(\.\d+)?$/.test(v) ? v : JSON.stringify(v))})`,
      ),
    ),
  summary: text('r.summary'),
  note: text('r.note'),
  useragent: text('r.user_agent'),
  instance: text('r.instance'),
  has: (term) => anyOf(term.values.map((v) => FLAGS[v as string] as string)),
};

/** The fields this compiler knows, for the test that holds it to the language's field list. */
export const POSTGRES_FIELDS: readonly string[] = Object.keys(FIELDS);

/**
 * Free text, with SQLite FTS5's meaning (filter/match-text.ts): the phrase's tokens (runs of letters and
 * digits, folded) consecutive in the record's tokens, the last one a prefix with `*`. The record's tokens
 * are stored as FTS5 makes them (postgres/search-text.ts), so a tsquery of the same tokens joined by `<->`
 * (followed-by), read as a literal without any parser or dictionary, asks exactly FTS5's question. The
 * tokens hold letters and digits only and are quoted, so no character the user types is tsquery syntax.
 *
 * Measured on 100,000 generated records (bench query-postgres, PostgreSQL 15 on 2 shared cores, p95 of 40
 * runs, newest 50 without bodies). pg_trgm GIN on the folded text, `ILIKE '%word%'` plus a regular
 * expression for token boundaries: a word in 1.4% of records 392 ms, in 4.6% 1288 ms, a reference number
 * 779 ms (every candidate's text is read again to check it), common words 9-12 ms. This stored tsvector
 * column with its GIN index: 48 ms (noisy; p50 18 ms), 11 ms, 4 ms, and 4-7 ms for words in 30-88% of
 * records, 6 ms without a hit.
 */
function freeText(term: TextTerm, bind: Bind): string {
  if (!/[\p{L}\p{N}]/u.test(term.text)) {
    // Punctuation only ("::", "->"): a substring of the summary or the message, as filter/sql.ts does.
    const pattern = bind(`%${likePattern(term.text)}%`);
    return `(r.summary LIKE ${pattern} OR r.message LIKE ${pattern})`;
  }
  const tokens = tokenize(term.text).map((token) => `'${token}'`);
  if (term.prefix) tokens.push(`${tokens.pop()}:*`);
  return `r.search_vector @@ ${bind(tokens.join(' <-> '))}::tsquery`;
}

/** A negated term still holds where the field is absent: a comparison with NULL is NULL, not false. */
const negate = (sql: string) => `NOT coalesce(${sql}, false)`;

/** The WHERE condition for `filter` (null when it has no terms), its values pushed onto `params`. */
export function compilePostgresFilter(filter: Filter, ctx: CompileContext, params: unknown[]): string | null {
  const bind: Bind = (value) => {
    params.push(value);
    return `$${params.length}`;
  };
  const parts: string[] = [];
  for (const term of filter.terms) {
    if (term.type === 'text') {
      const sql = freeText(term, bind);
      parts.push(term.negated ? negate(sql) : sql);
      continue;
    }
    const compile = FIELDS[term.field];
    if (!compile) throw new Error(`filter field "${term.field}" has no PostgreSQL compiler`);
    const sql = compile(term, term.op === '!=' ? '=' : term.op, bind, ctx);
    parts.push(term.negated !== (term.op === '!=') ? negate(sql) : sql);
  }
  return parts.length === 0 ? null : parts.join(' AND ');
}
