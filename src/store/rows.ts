import type { HeaderMap } from '../core/capture-events.js';
import type { JsonRpcId } from '../core/errors.js';
import type { Direction, MessageKind } from '../core/jsonrpc.js';
import type { CapturedRecord, LinkKind, NewRecord, RecordOrigin, TransportDetail } from '../core/record.js';

/** A records row as SQLite returns it. */
export interface RecordRow {
  id: number;
  time: number;
  server: string;
  session_id: string | null;
  direction: string;
  kind: string;
  jsonrpc_id: string | null;
  method: string | null;
  http_method: string | null;
  http_status: number | null;
  transport: string;
  sse_event_id: string | null;
  sse_event_type: string | null;
  duration_ms: number | null;
  client_name: string | null;
  client_version: string | null;
  server_name: string | null;
  server_version: string | null;
  user_agent: string | null;
  summary: string;
  tokens: number | null;
  error_code: number | null;
  error_message: string | null;
  message: string;
  size: number;
  truncated: number;
  request_headers: string | null;
  response_headers: string | null;
  partner_id: number | null;
  note: string | null;
  redactions: number;
  protocol_version: string | null;
  linked_id: number | null;
  link_kind: string | null;
  operation_ms: number | null;
  gateway_ms: number | null;
  upstream_ms: number | null;
  replay_of: number | null;
  origin: string | null;
  /** Only on a store several gateways share (PostgreSQL). */
  instance?: string | null;
}

/** The stored columns, in the order `recordToValues` produces them (the id is SQLite's). */
export const RECORD_COLUMNS = [
  'time',
  'server',
  'session_id',
  'direction',
  'kind',
  'jsonrpc_id',
  'method',
  'http_method',
  'http_status',
  'transport',
  'sse_event_id',
  'sse_event_type',
  'duration_ms',
  'client_name',
  'client_version',
  'server_name',
  'server_version',
  'user_agent',
  'summary',
  'tokens',
  'error_code',
  'error_message',
  'message',
  'size',
  'truncated',
  'request_headers',
  'response_headers',
  'partner_id',
  'note',
  'redactions',
  'protocol_version',
  'linked_id',
  'link_kind',
  'operation_ms',
  'gateway_ms',
  'upstream_ms',
  'replay_of',
  'origin',
] as const satisfies readonly (keyof RecordRow)[];

/** Columns too large to read for a list of rows; `bodies: false` pages read empty stand-ins instead. */
const BODY_COLUMNS = new Set<string>(['message', 'request_headers', 'response_headers']);

/** The select list for a page of rows without their bodies (message text and headers). */
export const COLUMNS_WITHOUT_BODIES = [
  'r.id',
  ...RECORD_COLUMNS.filter((column) => !BODY_COLUMNS.has(column)).map((column) => `r.${column}`),
  "'' AS message",
  'NULL AS request_headers',
  'NULL AS response_headers',
].join(', ');

/** Values for the insert statement, positionally (binding by position is the cheaper way in better-sqlite3). */
export function recordToValues(record: NewRecord): unknown[] {
  return appendRecordValues([], record);
}

/**
 * Appends the record's values (RECORD_COLUMNS order) to `out`: the capture worker packs a batch's rows
 * into one flat array for the writer thread (writer-protocol.ts), without an array per record.
 */
export function appendRecordValues(out: unknown[], record: NewRecord): unknown[] {
  out.push(
    record.time,
    record.server,
    record.sessionId,
    record.direction,
    record.kind,
    record.jsonrpcId === undefined ? null : JSON.stringify(record.jsonrpcId),
    record.method,
    record.httpMethod,
    record.httpStatus,
    record.transport,
    record.sseEventId,
    record.sseEventType,
    record.durationMs,
    record.clientName,
    record.clientVersion,
    record.serverName,
    record.serverVersion,
    record.userAgent,
    record.summary,
    record.tokens,
    record.errorCode,
    record.errorMessage,
    record.message,
    record.size,
    record.truncated ? 1 : 0,
    record.requestHeaders ? JSON.stringify(record.requestHeaders) : null,
    record.responseHeaders ? JSON.stringify(record.responseHeaders) : null,
    record.partnerId,
    record.note,
    record.redactions,
    record.protocolVersion,
    record.linkedId,
    record.linkKind,
    record.operationMs,
    record.gatewayMs,
    record.upstreamMs,
    record.replayOf,
    record.origin,
  );
  return out;
}

function parseHeaders(text: string | null): HeaderMap | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as HeaderMap;
  } catch {
    return null;
  }
}

export function rowToRecord(row: RecordRow): CapturedRecord {
  return {
    id: row.id,
    time: row.time,
    server: row.server,
    sessionId: row.session_id,
    direction: row.direction as Direction,
    kind: row.kind as MessageKind,
    jsonrpcId: row.jsonrpc_id === null ? undefined : (JSON.parse(row.jsonrpc_id) as JsonRpcId),
    method: row.method,
    httpMethod: row.http_method,
    httpStatus: row.http_status,
    transport: row.transport as TransportDetail,
    sseEventId: row.sse_event_id,
    sseEventType: row.sse_event_type,
    durationMs: row.duration_ms,
    clientName: row.client_name,
    clientVersion: row.client_version,
    serverName: row.server_name,
    serverVersion: row.server_version,
    userAgent: row.user_agent,
    summary: row.summary,
    tokens: row.tokens,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    message: row.message,
    size: row.size,
    truncated: row.truncated === 1,
    requestHeaders: parseHeaders(row.request_headers),
    responseHeaders: parseHeaders(row.response_headers),
    partnerId: row.partner_id,
    note: row.note,
    redactions: row.redactions ?? 0,
    linkedId: row.linked_id ?? null,
    linkKind: (row.link_kind as LinkKind | null) ?? null,
    operationMs: row.operation_ms ?? null,
    gatewayMs: row.gateway_ms ?? null,
    upstreamMs: row.upstream_ms ?? null,
    replayOf: row.replay_of ?? null,
    origin: (row.origin as RecordOrigin | null) ?? null,
    protocolVersion: row.protocol_version ?? null,
    ...(row.instance ? { instance: row.instance } : {}),
  };
}
