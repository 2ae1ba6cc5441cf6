import { classifyMessage } from '../../src/core/jsonrpc.js';
import type { NewRecord } from '../../src/core/record.js';
import { summarizeMessage } from '../../src/core/summary.js';
import { carriesTokens, estimateTokens } from '../../src/core/tokens.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteRecordSink } from '../../src/store/record-writer.js';
import type { Exchange, TrafficGenerator } from './traffic.js';

const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'user-agent': 'node',
};

/** A record as capture would store it for one message of an exchange (the PostgreSQL query suite writes them too). */
export function record(
  exchange: Exchange,
  value: Record<string, unknown>,
  time: number,
  direction: NewRecord['direction'],
): NewRecord {
  const text = JSON.stringify(value);
  const shape = classifyMessage(value);
  const method = shape.method ?? exchange.method;
  const result = value.result as { isError?: boolean; content?: { text?: string }[] } | undefined;
  return {
    time,
    server: exchange.server,
    sessionId: exchange.sessionId,
    direction,
    kind: shape.kind,
    jsonrpcId: shape.id,
    method,
    httpMethod: 'POST',
    httpStatus: 200,
    transport: direction === 'client_to_server' ? 'http-json' : 'http-sse',
    sseEventId: null,
    sseEventType: direction === 'client_to_server' ? null : 'message',
    durationMs: direction === 'server_to_client' ? exchange.durationMs : null,
    clientName: exchange.clientName,
    clientVersion: exchange.clientVersion,
    serverName: `${exchange.server}-mcp`,
    serverVersion: '1.4.0',
    protocolVersion: '2025-06-18',
    userAgent: 'node',
    summary: summarizeMessage(shape, value, method),
    tokens: carriesTokens(method) && shape.kind !== 'error' ? estimateTokens(text) : null,
    errorCode: shape.errorCode,
    errorMessage: shape.errorMessage ?? (result?.isError ? (result.content?.[0]?.text ?? null) : null),
    message: text,
    size: Buffer.byteLength(text),
    truncated: false,
    requestHeaders: direction === 'client_to_server' ? HEADERS : null,
    responseHeaders: { 'content-type': 'text/event-stream', 'mcp-session-id': exchange.sessionId },
    partnerId: null,
    note: null,
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

export interface Generated {
  records: number;
  seconds: number;
  sessions: string[];
  firstTime: number;
  lastTime: number;
}

/**
 * Writes one exchange (its request, and its answer `durationMs` later if it has one) and, for an
 * initialize, the session it opens. Returns how many records it wrote.
 */
function writeExchange(sink: SqliteRecordSink, exchange: Exchange, time: number): number {
  const request = record(exchange, exchange.request, time, 'client_to_server');
  const requestId = sink.insert(request, exchange.request);
  if (exchange.method === 'initialize') {
    sink.saveSession({
      server: exchange.server,
      sessionId: exchange.sessionId,
      clientName: exchange.clientName,
      clientVersion: exchange.clientVersion,
      serverName: `${exchange.server}-mcp`,
      serverVersion: '1.4.0',
      protocolVersion: '2025-06-18',
      firstSeen: time,
    });
  }
  if (!exchange.response) return 1;
  const answer = record(exchange, exchange.response, time + exchange.durationMs, 'server_to_client');
  answer.partnerId = requestId;
  sink.insert(answer, exchange.response);
  return 2;
}

/**
 * Writes `count` records of generated traffic spread over `spanMs` ending now, straight through the
 * store's writer (the same code the capture worker writes with), in transactions of a few thousand.
 */
export function generateDatabase(
  path: string,
  traffic: TrafficGenerator,
  count: number,
  spanMs: number,
): Generated {
  const db = openDatabase(path, { migrate: true });
  const sink = new SqliteRecordSink(db);
  const started = performance.now();
  const end = Date.now();
  const step = spanMs / (count / 1.9);
  let time = end - spanMs;
  let written = 0;
  const sessions = new Set<string>();
  while (written < count) {
    sink.batch(() => {
      for (let i = 0; i < 2000 && written < count; i++) {
        const exchange = traffic.next();
        sessions.add(exchange.sessionId);
        time += step * (0.5 + Math.random());
        written += writeExchange(sink, exchange, time);
      }
    });
  }
  db.pragma('optimize');
  db.close();
  return {
    records: written,
    seconds: (performance.now() - started) / 1000,
    sessions: [...sessions],
    firstTime: end - spanMs,
    lastTime: time,
  };
}

/**
 * Adds one long session to a generated database: about `messages` records (one more when the last
 * exchange's answer completes it) of `server`'s traffic under `sessionId`, evenly spread from `from`
 * over `spanMs`, written the same way. The generator's own sessions are a few hundred messages; this
 * is the agent that ran all afternoon.
 */
export function appendSession(
  path: string,
  traffic: TrafficGenerator,
  target: { sessionId: string; server: string; messages: number; from: number; spanMs: number },
): number {
  const db = openDatabase(path);
  const sink = new SqliteRecordSink(db);
  const step = (target.spanMs / target.messages) * 1.9;
  let time = target.from;
  let written = 0;
  let first = true;
  while (written < target.messages) {
    sink.batch(() => {
      for (let i = 0; i < 2000 && written < target.messages; i++) {
        const next = traffic.next();
        // The generator's first exchange of a session is its initialize; the rest are its calls.
        const exchange = { ...next, sessionId: target.sessionId, server: target.server };
        if (!first && exchange.method === 'initialize') continue;
        first = false;
        written += writeExchange(sink, exchange, time);
        time += step;
      }
    });
  }
  db.close();
  return written;
}
