import type { ServerJson } from '../api/server-json.js';
import type { RecordJson, RecordSummaryJson } from '../core/record.js';
import type { StatsResult } from '../store/stats.js';
import type { SessionJson } from '../store/summary-json.js';

/** Plain-text renderings of tool results: short lines a model or a terminal reader can scan. */

const ARROW = { client_to_server: '→', server_to_client: '←' } as const;

export interface RecordBrief {
  id: number;
  time: string;
  server: string;
  sessionId: string | null;
  direction: RecordJson['direction'];
  kind: RecordJson['kind'];
  method: string | null;
  summary: string;
  durationMs: number | null;
  httpStatus: number | null;
  error: RecordJson['error'];
  tokens: number | null;
  partnerId: number | null;
}

/** A record without its payload and headers: what a search result needs to decide what to open. */
export function brief(record: RecordSummaryJson): RecordBrief {
  return {
    id: record.id,
    time: record.time,
    server: record.server,
    sessionId: record.sessionId,
    direction: record.direction,
    kind: record.kind,
    method: record.method,
    summary: record.summary,
    durationMs: record.durationMs,
    httpStatus: record.http.status,
    error: record.error,
    tokens: record.tokens,
    partnerId: record.partnerId,
  };
}

export function recordLine(record: RecordBrief): string {
  const parts = [
    `#${record.id}`,
    record.time.slice(11, 23),
    record.server,
    ARROW[record.direction],
    record.kind,
    record.method ?? '-',
    record.summary,
  ];
  if (record.durationMs !== null) parts.push(`(${record.durationMs} ms)`);
  if (record.error?.message) parts.push(`[error: ${record.error.message}]`);
  return parts.join(' ');
}

export function serverLine(server: ServerJson): string {
  const health = server.health.detail
    ? `${server.health.state}: ${server.health.detail}`
    : server.health.state;
  return `${server.name} (${server.type}) ${server.proxyUrl} — ${health}; ${server.messages} messages, ${server.errors} errors, last activity ${server.lastActivity ?? 'never'}`;
}

export function sessionLine(session: SessionJson): string {
  const client = session.client.name
    ? `${session.client.name} ${session.client.version ?? ''}`.trim()
    : 'unknown client';
  // A derived id names a conversation capture grouped (MCP 2026-07-28 has no sessions): say so.
  const what = session.sessionSource === 'derived' ? 'conversation' : 'session';
  const protocol = session.protocolVersion ? ` (MCP ${session.protocolVersion})` : '';
  return `${what} ${session.sessionId} on ${session.server}: ${client}${protocol}, ${session.messages} messages, ${session.errors} errors, ${session.firstSeen} – ${session.lastSeen ?? '?'}`;
}

const ms = (value: number | null) => (value === null ? '-' : `${Math.round(value * 10) / 10} ms`);

export function statsText(stats: StatsResult): string {
  const { totals } = stats;
  const lines = [
    `${new Date(stats.from).toISOString()} – ${new Date(stats.to).toISOString()}: ${totals.messages} messages, ${totals.requests} requests, ${totals.errors} errors (${(totals.errorRate * 100).toFixed(1)}%), p50 ${ms(totals.p50Ms)}, p95 ${ms(totals.p95Ms)}, p99 ${ms(totals.p99Ms)}, ${totals.tokens} tokens`,
  ];
  for (const group of stats.groups.slice(0, 20)) {
    lines.push(
      `  ${group.server ?? '*'} ${group.method ?? '(no method)'}: ${group.requests} requests, ${group.errors} errors, p50 ${ms(group.p50Ms)}, p95 ${ms(group.p95Ms)}, ${group.tokens} tokens`,
    );
  }
  if (stats.groups.length > 20) lines.push(`  … and ${stats.groups.length - 20} more groups`);
  return lines.join('\n');
}
