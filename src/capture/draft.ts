import type { HeaderMap, UpstreamLeg } from '../core/capture-events.js';
import { stringifyJson } from '../core/json-text.js';
import { classifyMessage, type Direction, type MessageShape } from '../core/jsonrpc.js';
import type { NewRecord, RecordOrigin, TransportDetail } from '../core/record.js';

/**
 * A record on its way through the pipeline: the fields to store, plus the parsed message for listeners
 * that read it. `id` is set by the store listener once the record is written.
 */
export interface MessageDraft {
  record: NewRecord;
  /** The parsed JSON value, or undefined when the text is not JSON. */
  value: unknown;
  shape: MessageShape;
  /** Header names configured for the server, whose values are secrets. */
  configuredHeaders: readonly string[];
  id: number | null;
  /**
   * On an answer: the request it answers and the upstream leg, where timed. The pipeline's `answered`
   * hook runs with them once this answer has been through the listeners.
   */
  answers?: { request: MessageDraft; leg: UpstreamLeg | null };
}

export interface DraftContext {
  time: number;
  server: string;
  sessionId: string | null;
  direction: Direction;
  transport: TransportDetail;
  httpMethod: string | null;
  httpStatus: number | null;
  sseEventId?: string | null;
  sseEventType?: string | null;
  requestHeaders?: HeaderMap | null;
  responseHeaders?: HeaderMap | null;
  userAgent?: string | null;
  configuredHeaders?: readonly string[];
  note?: string | null;
  /** What the gateway did to the message, if anything (a breakpoint's edit, an injected answer). */
  origin?: RecordOrigin | null;
  /** The record a replayed request sends again. */
  replayOf?: number | null;
}

function blankRecord(context: DraftContext, text: string, truncated: boolean): NewRecord {
  return {
    time: context.time,
    server: context.server,
    sessionId: context.sessionId,
    direction: context.direction,
    kind: 'other',
    jsonrpcId: undefined,
    method: null,
    httpMethod: context.httpMethod,
    httpStatus: context.httpStatus,
    transport: context.transport,
    sseEventId: context.sseEventId ?? null,
    sseEventType: context.sseEventType ?? null,
    durationMs: null,
    clientName: null,
    clientVersion: null,
    serverName: null,
    serverVersion: null,
    protocolVersion: null,
    userAgent: context.userAgent ?? null,
    summary: '',
    tokens: null,
    errorCode: null,
    errorMessage: null,
    message: text,
    size: Buffer.byteLength(text),
    truncated,
    requestHeaders: context.requestHeaders ?? null,
    responseHeaders: context.responseHeaders ?? null,
    partnerId: null,
    note: context.note ?? null,
    redactions: 0,
    linkedId: null,
    linkKind: null,
    operationMs: null,
    gatewayMs: null,
    upstreamMs: null,
    replayOf: context.replayOf ?? null,
    origin: context.origin ?? null,
  };
}

/** A draft for one JSON value (a message, or one element of a batch); `text` is how it is stored. */
export function jsonDraft(context: DraftContext, value: unknown, text: string): MessageDraft {
  const shape = classifyMessage(value);
  const record = blankRecord(context, text, false);
  record.kind = shape.kind;
  record.jsonrpcId = shape.id;
  record.method = shape.method;
  record.errorCode = shape.errorCode;
  record.errorMessage = shape.errorMessage;
  return { record, value, shape, configuredHeaders: context.configuredHeaders ?? [], id: null };
}

/** A draft for something that is not JSON-RPC: stored as the text that arrived. */
export function textDraft(context: DraftContext, text: string, truncated = false): MessageDraft {
  return {
    record: blankRecord(context, text, truncated),
    value: undefined,
    shape: { kind: 'other', id: undefined, method: null, errorCode: null, errorMessage: null },
    configuredHeaders: context.configuredHeaders ?? [],
    id: null,
  };
}

/**
 * Drafts for a body holding JSON-RPC: one per message, batches split (JSON-RPC 2.0 section 6). A single
 * message is stored exactly as it arrived; batch elements are stored re-serialized, one per record.
 */
export function draftsFromJsonText(context: DraftContext, text: string, truncated: boolean): MessageDraft[] {
  if (truncated) return [textDraft(context, text, true)];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [textDraft(context, text)];
  }
  if (Array.isArray(value) && value.length > 0) {
    return value.map((element) => jsonDraft(context, element, stringifyJson(element)));
  }
  return [jsonDraft(context, value, text)];
}
