import { anyOf, type CompileContext, enumField, type FieldSpec, textField } from './field-kinds.js';
import { resolveTime, type TimeSpec } from './values.js';

/** Fields with their own shape of value: time bounds, `has:` flags, JSON-RPC ids. */

/** A parsed time value as epoch ms, relative times measured from the query's "now". */
export const timeValue = (value: unknown, ctx: CompileContext) => resolveTime(value as TimeSpec, ctx.now);

/** A time bound written as a field of its own: `after:`, `before:`, `last:`. */
export function timeBound(
  info: Pick<FieldSpec, 'name' | 'help' | 'examples'> & { aliases?: string[] },
  sqlOp: '>=' | '<',
  parse: (raw: string) => TimeSpec,
): FieldSpec {
  return {
    aliases: [],
    ...info,
    operators: ['is'],
    parse,
    sql: (_op, values, ctx) =>
      anyOf(values.map((v) => ({ sql: `r.time ${sqlOp} ?`, params: [timeValue(v, ctx)] }))),
  };
}

const FLAGS: Readonly<Record<string, string>> = {
  // A failure of any kind: a JSON-RPC error, a tool result with isError, or an HTTP error status.
  error: "(r.kind = 'error' OR r.error_message IS NOT NULL OR r.http_status >= 400)",
  duration: 'r.duration_ms IS NOT NULL',
  tokens: 'r.tokens IS NOT NULL',
  session: 'r.session_id IS NOT NULL',
  protocol: 'r.protocol_version IS NOT NULL',
  partner: 'r.partner_id IS NOT NULL',
  // Continues an earlier record: an MRTR retry, or a message about a task (see capture/operation-links.ts).
  linked: 'r.linked_id IS NOT NULL',
  note: 'r.note IS NOT NULL',
  truncated: 'r.truncated = 1',
  // Capture replaced at least one secret in it (see redaction/).
  redacted: 'r.redactions > 0',
};

export const hasField: FieldSpec = {
  name: 'has',
  aliases: ['is'],
  help: 'Records that have something: error (a JSON-RPC error, a tool result with isError, or an HTTP status of 400 or more), duration, tokens, session, protocol (a known protocol version), partner (a response paired with its request), linked (an MRTR retry or a task message, linked to the record it continues), note, truncated, redacted (secrets were replaced before storage).',
  examples: ['has:error', '-has:session', 'has:error,truncated'],
  operators: ['is'],
  values: Object.keys(FLAGS),
  parse: enumField({ name: 'has', help: '', examples: [] }, '', Object.keys(FLAGS)).parse,
  sql: (_op, values) => anyOf(values.map((v) => ({ sql: FLAGS[v as string] as string, params: [] }))),
};

/** JSON-RPC ids are stored as JSON: 7 is `7`, "7" is `"7"`; `rpcid:7` finds both. */
export const rpcIdField: FieldSpec = {
  name: 'rpcid',
  aliases: ['jsonrpc-id'],
  help: 'The JSON-RPC id of a request and of its response (numbers and strings alike).',
  examples: ['rpcid:7', 'rpcid:abc-1'],
  operators: ['is', '=', '!='],
  parse: (raw) => raw,
  sql: (_op, values) =>
    anyOf(
      (values as string[]).map((v) => ({
        sql: 'r.jsonrpc_id IN (?, ?)',
        params: [JSON.stringify(v), /^-?\d+(\.\d+)?$/.test(v) ? v : JSON.stringify(v)],
      })),
    ),
};

const INSTANCE_INFO = {
  name: 'instance',
  help: 'The gateway instance that captured the message (several gateways can share one PostgreSQL store); records of the embedded SQLite store name none.',
  examples: ['instance:laptop-1', '-instance:ci-*'],
};

/**
 * On a store of one instance (SQLite) every record has the same instance: the name is a constant (an SQL
 * string literal, quotes doubled), NULL when the gateway has none, so `instance:x` finds nothing there.
 */
export const instanceField: FieldSpec = {
  ...textField(INSTANCE_INFO, 'NULL'),
  sql: (op, values, ctx) =>
    textField(
      INSTANCE_INFO,
      ctx.instance === undefined ? 'NULL' : `'${ctx.instance.replaceAll("'", "''")}'`,
    ).sql(op, values, ctx),
};
