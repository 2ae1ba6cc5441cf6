import { MESSAGE_KINDS } from '../core/jsonrpc.js';
import { ValueProblem } from './errors.js';
import { enumField, type FieldSpec, orderedField, textField } from './field-kinds.js';
import { hasField, instanceField, rpcIdField, timeBound, timeValue } from './special-fields.js';
import { parseDuration, parseNumber, parseSize, parseStatusClass, parseTime } from './values.js';

/**
 * The tool a tools/call request names (`params.name`). CASE evaluates lazily, so json_extract only runs on
 * tools/call requests (the method index narrows them first) and only on valid JSON: a truncated or
 * non-JSON message would make json_extract raise "malformed JSON" for the whole query. Measured on 200,000
 * records (100,000 tools/call requests): a page of `tool:x` 2.4 ms, with `last:1h` 3.4 ms; a count, or a
 * name nobody called (a full scan), 180-245 ms on a reader thread, as any other text search without a hit.
 */
const TOOL_NAME_SQL =
  "(CASE WHEN r.method = 'tools/call' AND r.kind = 'request' AND json_valid(r.message) THEN json_extract(r.message, '$.params.name') END)";

/**
 * The fields of the filter language, in the order the help lists them. Columns are those of the
 * `records` table (aliased `r`); every value reaches SQL as a bound parameter.
 */

export const FIELDS: readonly FieldSpec[] = [
  textField(
    {
      name: 'server',
      aliases: ['s'],
      valuesFrom: 'servers',
      help: 'The registered server name the message went through.',
      examples: ['server:everything', 'server:github,linear', '-server:test-*'],
    },
    'r.server',
  ),
  textField(
    {
      name: 'session',
      aliases: ['sid'],
      valuesFrom: 'sessions',
      help: 'The MCP session id (Mcp-Session-Id header, or the stdio session); for sessionless 2026-07-28 traffic, the conversation the gateway grouped it into (conv-…).',
      examples: ['session:3f2a9c1e-…', 'session~3f2a', 'session:conv-*'],
    },
    'r.session_id',
  ),
  textField(
    {
      name: 'client',
      valuesFrom: 'clients',
      help: "The client name: from initialize (clientInfo.name), or on 2026-07-28 from each request's _meta (io.modelcontextprotocol/clientInfo).",
      examples: ['client:claude-code', 'client~cursor'],
    },
    'r.client_name',
  ),
  textField(
    {
      name: 'protocol',
      aliases: ['proto'],
      help: "The MCP protocol version the message was sent under: from initialize, or from the request's _meta on 2026-07-28 and later.",
      examples: ['protocol:2026-07-28', 'protocol:2025-*', '-has:protocol'],
    },
    'r.protocol_version',
  ),
  textField(
    {
      name: 'method',
      aliases: ['m'],
      valuesFrom: 'methods',
      help: 'The JSON-RPC method; responses carry the method of the request they answer. `*` is a wildcard.',
      examples: ['method:tools/call', 'method:tools/*', '-method:ping,notifications/*'],
    },
    'r.method',
  ),
  textField(
    {
      name: 'tool',
      help: 'The tool a tools/call request calls (its params.name); only the request carries it, its answer is found with rpcid or the request record.',
      examples: ['tool:delete_file', 'tool:get_*', '-tool:echo'],
    },
    TOOL_NAME_SQL,
  ),
  enumField(
    {
      name: 'direction',
      aliases: ['dir'],
      help: 'Which way the message went: client_to_server (c2s) or server_to_client (s2c).',
      examples: ['direction:c2s', 'dir:server_to_client'],
    },
    'r.direction',
    ['client_to_server', 'server_to_client'],
    { c2s: 'client_to_server', s2c: 'server_to_client', in: 'client_to_server', out: 'server_to_client' },
  ),
  enumField(
    {
      name: 'kind',
      aliases: ['type'],
      help: 'What the record is: request, response, notification, error (a JSON-RPC error), stderr (a stdio server log line), other (not JSON-RPC: an HTML page, a connection failure, a gateway note).',
      examples: ['kind:request', 'kind:error,stderr', '-kind:notification'],
    },
    'r.kind',
    MESSAGE_KINDS,
  ),
  enumField(
    {
      name: 'transport',
      help: 'How the message travelled: http-json, http-sse (SSE on a POST), http-get-sse (the GET stream), http (no JSON-RPC), stdio.',
      examples: ['transport:http-sse', 'transport:stdio'],
    },
    'r.transport',
    ['http-json', 'http-sse', 'http-get-sse', 'http', 'stdio'],
  ),
  orderedField(
    {
      name: 'status',
      help: 'The HTTP status of the exchange; 2xx, 4xx and 5xx match a whole class.',
      examples: ['status:500', 'status:4xx', 'status>=400'],
    },
    'r.http_status',
    (raw) => parseStatusClass(raw) ?? parseNumber(raw, 'status'),
  ),
  orderedField(
    {
      name: 'code',
      aliases: ['errorcode'],
      help: 'The JSON-RPC error code (-32601 method not found, -32602 invalid params, ...).',
      examples: ['code:-32601', 'code<=-32000'],
    },
    'r.error_code',
    (raw) => parseNumber(raw, 'code'),
  ),
  textField(
    {
      name: 'error',
      aliases: ['err'],
      help: 'The error message: of a JSON-RPC error, or the text of a tool result with isError.',
      examples: ['error~timeout', 'error:"Unknown tool*"'],
    },
    'r.error_message',
  ),
  orderedField(
    {
      name: 'duration',
      aliases: ['latency', 'dur'],
      help: 'Time from a request to its response, on the response; a bare number is milliseconds.',
      examples: ['duration>500', 'duration>=1.5s', 'duration<10ms'],
    },
    'r.duration_ms',
    (raw) => parseDuration(raw, 'duration'),
  ),
  orderedField(
    {
      name: 'tokens',
      help: 'Estimated tokens of a tool, resource or prompt payload (about 4 characters per token).',
      examples: ['tokens>1000', 'tokens<=50'],
    },
    'r.tokens',
    (raw) => parseNumber(raw, 'tokens'),
  ),
  orderedField(
    {
      name: 'size',
      aliases: ['bytes'],
      help: 'Size of the message in bytes; kb and mb units work.',
      examples: ['size>100kb', 'size<512'],
    },
    'r.size',
    (raw) => parseSize(raw, 'size'),
  ),
  orderedField(
    {
      name: 'time',
      help: 'When the message was captured: a date or time (local unless it says Z or an offset), epoch milliseconds, or a duration ago.',
      examples: ['time>=2025-05-01T09:00', 'time<2025-05-02', 'time>2h'],
    },
    'r.time',
    (raw) => parseTime(raw, 'time'),
    { toNumber: timeValue, operators: ['>', '>=', '<', '<='] },
  ),
  timeBound(
    {
      name: 'after',
      aliases: ['since'],
      help: 'Captured at or after a time (same forms as time).',
      examples: ['after:2025-05-01', 'after:30m'],
    },
    '>=',
    (raw) => parseTime(raw, 'after'),
  ),
  timeBound(
    {
      name: 'before',
      aliases: ['until'],
      help: 'Captured before a time (same forms as time).',
      examples: ['before:2025-05-01T12:00', 'before:1d'],
    },
    '<',
    (raw) => parseTime(raw, 'before'),
  ),
  timeBound(
    {
      name: 'last',
      help: 'Captured within the last duration: s, m, h, d or w.',
      examples: ['last:15m', 'last:24h', 'last:7d'],
    },
    '>=',
    (raw) => ({ ago: parseDuration(raw, 'last', null) }),
  ),
  orderedField(
    {
      name: 'id',
      help: 'The record id (ids only grow, so id>N is everything after record N).',
      examples: ['id:42', 'id>1000'],
    },
    'r.id',
    (raw) => {
      const id = parseNumber(raw, 'id');
      if (!Number.isInteger(id)) throw new ValueProblem(`id must be a whole number; got "${raw}"`);
      return id;
    },
  ),
  orderedField(
    {
      name: 'linked',
      help: 'The record a message continues: an MRTR retry the round before it, a task message the request that created the task.',
      examples: ['linked:42'],
    },
    'r.linked_id',
    (raw) => {
      const id = parseNumber(raw, 'linked');
      if (!Number.isInteger(id)) throw new ValueProblem(`linked must be a record id; got "${raw}"`);
      return id;
    },
  ),
  rpcIdField,
  textField(
    {
      name: 'summary',
      help: 'The one-line summary shown in tables ("echo(message: hi)", "12 tools: a, b, +10").',
      examples: ['summary~"tool error"'],
    },
    'r.summary',
  ),
  textField(
    {
      name: 'note',
      help: 'A transport remark: "answered by the gateway", "no response", "response cut short", health changes.',
      examples: ['note~gateway', 'note:health'],
    },
    'r.note',
  ),
  textField(
    {
      name: 'useragent',
      aliases: ['ua'],
      help: "The HTTP client's User-Agent.",
      examples: ['ua~node'],
    },
    'r.user_agent',
  ),
  instanceField,
  hasField,
];

const BY_NAME = new Map<string, FieldSpec>();
for (const field of FIELDS) {
  BY_NAME.set(field.name, field);
  for (const alias of field.aliases) BY_NAME.set(alias, field);
}

export function findField(name: string): FieldSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

export function fieldNames(): string[] {
  return FIELDS.map((field) => field.name);
}

/** Every spelling of every field, for suggestions. */
export function allFieldSpellings(): string[] {
  return [...BY_NAME.keys()];
}
