import { type SessionSource, sessionSource } from '../core/record.js';
import type { ClientSummary, MethodSummary, SessionSummary } from './log-store.js';

/**
 * JSON shapes of the summaries, shared by the REST API and the management MCP server, in the style of
 * `recordToJson`: times as ISO strings (plus epoch milliseconds where a client computes with them).
 */

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

export interface SessionJson {
  sessionId: string;
  /** `derived`: a conversation the gateway grouped from sessionless traffic (see docs/capture.md). */
  sessionSource: SessionSource;
  server: string;
  client: { name: string | null; version: string | null };
  upstream: { name: string | null; version: string | null };
  protocolVersion: string | null;
  firstSeen: string;
  lastSeen: string | null;
  firstTimestamp: number;
  lastTimestamp: number | null;
  messages: number;
  errors: number;
}

export function sessionToJson(session: SessionSummary): SessionJson {
  return {
    sessionId: session.sessionId,
    sessionSource: sessionSource(session.sessionId) ?? 'transport',
    server: session.server,
    client: { name: session.clientName, version: session.clientVersion },
    upstream: { name: session.serverName, version: session.serverVersion },
    protocolVersion: session.protocolVersion,
    firstSeen: iso(session.firstSeen) as string,
    lastSeen: iso(session.lastSeen),
    firstTimestamp: session.firstSeen,
    lastTimestamp: session.lastSeen,
    messages: session.messages,
    errors: session.errors,
  };
}

export function clientToJson(client: ClientSummary) {
  return { ...client, firstSeen: iso(client.firstSeen), lastSeen: iso(client.lastSeen) };
}

export function methodToJson(method: MethodSummary) {
  const avg = method.avgDurationMs === null ? null : Math.round(method.avgDurationMs * 1000) / 1000;
  return {
    ...method,
    avgDurationMs: avg,
    errorRate: method.requests > 0 ? Math.min(1, method.errors / method.requests) : 0,
    lastSeen: iso(method.lastSeen),
  };
}
