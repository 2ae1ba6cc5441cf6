import { z } from 'zod';
import type { JsonRpcId } from '../core/errors.js';
import { stringifyJson } from '../core/json-text.js';
import { MESSAGE_KINDS } from '../core/jsonrpc.js';
import {
  LINK_KINDS,
  type LinkKind,
  type NewRecord,
  RECORD_ORIGINS,
  type RecordOrigin,
} from '../core/record.js';

/**
 * The inverse of `recordToJson`: a record as exported (one line of JSONL) back into a record to store.
 * Validated field by field, so a hand-edited or foreign file is refused with a message that names the field.
 */

const headerMap = z.record(z.string(), z.union([z.string(), z.array(z.string())])).nullable();
const jsonRpcId = z.union([z.string(), z.number(), z.null()]);
const nullableString = z.string().nullable();
const nullableNumber = z.number().nullable();
const nonNegative = z.number().nonnegative();

const recordJsonSchema = z.object({
  id: z.number().int().optional(),
  timestamp: z.number().optional(),
  time: z.string().optional(),
  server: z.string().min(1),
  sessionId: nullableString,
  // Exports before protocol versions were kept have neither; sessionSource follows from the id.
  sessionSource: z.enum(['transport', 'derived']).nullable().optional(),
  protocolVersion: nullableString.optional(),
  direction: z.enum(['client_to_server', 'server_to_client']),
  kind: z.enum(MESSAGE_KINDS as [string, ...string[]]),
  jsonrpcId: jsonRpcId.optional(),
  method: nullableString,
  http: z.object({
    method: nullableString,
    status: nullableNumber,
    transport: z.enum(['http-json', 'http-sse', 'http-get-sse', 'http', 'stdio']),
  }),
  sse: z.object({ eventId: nullableString, eventType: nullableString }).nullable().optional(),
  durationMs: nullableNumber,
  client: z.object({ name: nullableString, version: nullableString }),
  upstream: z.object({ name: nullableString, version: nullableString }),
  userAgent: nullableString,
  summary: z.string(),
  tokens: nullableNumber,
  error: z.object({ code: nullableNumber, message: nullableString }).nullable(),
  message: z.unknown(),
  size: z.number().int().nonnegative().optional(),
  truncated: z.boolean().optional(),
  headers: z.object({ request: headerMap, response: headerMap }).optional(),
  partnerId: z.number().int().nullable().optional(),
  note: nullableString.optional(),
  redactions: z.number().int().nonnegative().optional(),
  linkedId: z.number().int().nullable().optional(),
  linkKind: z
    .enum(LINK_KINDS as [LinkKind, ...LinkKind[]])
    .nullable()
    .optional(),
  operationMs: nullableNumber.optional(),
  // Exports from before the split was measured have neither.
  gatewayMs: nonNegative.nullable().optional(),
  upstreamMs: nonNegative.nullable().optional(),
  replayOf: z.number().int().nullable().optional(),
  origin: z
    .enum(RECORD_ORIGINS as [RecordOrigin, ...RecordOrigin[]])
    .nullable()
    .optional(),
});

/** Kinds that carry a JSON-RPC id; for the others a null id in the export means "none". */
const HAS_ID = new Set(['request', 'response', 'error']);

export function recordFromJson(value: unknown): NewRecord & { originalId?: number } {
  const parsed = recordJsonSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'record';
    throw new Error(`${field}: ${issue?.message ?? 'invalid'}`);
  }
  const json = parsed.data;
  const time = json.timestamp ?? (json.time ? Date.parse(json.time) : Number.NaN);
  if (!Number.isFinite(time)) throw new Error('timestamp: a record needs its time (timestamp or time)');
  const message = typeof json.message === 'string' ? json.message : stringifyJson(json.message);
  const jsonrpcId: JsonRpcId | undefined =
    json.jsonrpcId === undefined || (json.jsonrpcId === null && !HAS_ID.has(json.kind))
      ? undefined
      : json.jsonrpcId;
  return {
    originalId: json.id,
    time,
    server: json.server,
    sessionId: json.sessionId,
    direction: json.direction,
    kind: json.kind as NewRecord['kind'],
    jsonrpcId,
    method: json.method,
    httpMethod: json.http.method,
    httpStatus: json.http.status,
    transport: json.http.transport,
    sseEventId: json.sse?.eventId ?? null,
    sseEventType: json.sse?.eventType ?? null,
    durationMs: json.durationMs,
    clientName: json.client.name,
    clientVersion: json.client.version,
    serverName: json.upstream.name,
    serverVersion: json.upstream.version,
    protocolVersion: json.protocolVersion ?? null,
    userAgent: json.userAgent,
    summary: json.summary,
    tokens: json.tokens,
    errorCode: json.error?.code ?? null,
    errorMessage: json.error?.message ?? null,
    message,
    size: json.size ?? Buffer.byteLength(message),
    truncated: json.truncated ?? false,
    requestHeaders: json.headers?.request ?? null,
    responseHeaders: json.headers?.response ?? null,
    partnerId: json.partnerId ?? null,
    note: json.note ?? null,
    redactions: json.redactions ?? 0,
    linkedId: json.linkedId ?? null,
    linkKind: json.linkKind ?? null,
    operationMs: json.operationMs ?? null,
    gatewayMs: json.gatewayMs ?? null,
    upstreamMs: json.upstreamMs ?? null,
    replayOf: json.replayOf ?? null,
    origin: json.origin ?? null,
  };
}
