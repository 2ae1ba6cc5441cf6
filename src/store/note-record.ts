import type { NewRecord } from '../core/record.js';

/** What a gateway note on a server's timeline is made of (appendNote). */
export interface Note {
  server: string;
  text: string;
  /** Its kind ('health'). */
  note: string;
  time?: number;
}

/** A gateway note (a health change) as a record on the server's timeline, the same in every store. */
export function noteRecord({ server, text, note, time }: Note): NewRecord {
  return {
    time: time ?? Date.now(),
    server,
    sessionId: null,
    direction: 'server_to_client',
    kind: 'other',
    jsonrpcId: undefined,
    method: null,
    httpMethod: null,
    httpStatus: null,
    transport: 'http',
    sseEventId: null,
    sseEventType: null,
    durationMs: null,
    clientName: null,
    clientVersion: null,
    serverName: null,
    serverVersion: null,
    protocolVersion: null,
    userAgent: null,
    summary: text,
    tokens: null,
    errorCode: null,
    errorMessage: null,
    message: text,
    size: Buffer.byteLength(text),
    truncated: false,
    requestHeaders: null,
    responseHeaders: null,
    partnerId: null,
    note,
    redactions: 0,
    linkedId: null,
    linkKind: null,
    operationMs: null,
    gatewayMs: null,
    upstreamMs: null,
    replayOf: null,
    origin: null,
  };
}
