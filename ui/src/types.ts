/** The record shape the API, the live feed and exports share (src/core/record.ts: RecordJson). */
export type HeaderMap = Record<string, string | string[]>;

export interface CapturedRecord {
  id: number;
  time: string;
  timestamp: number;
  server: string;
  sessionId: string | null;
  direction: 'client_to_server' | 'server_to_client';
  kind: 'request' | 'response' | 'notification' | 'error' | 'stderr' | 'other';
  jsonrpcId: string | number | null;
  method: string | null;
  http: { method: string | null; status: number | null; transport: string };
  sse: { eventId: string | null; eventType: string | null } | null;
  durationMs: number | null;
  client: { name: string | null; version: string | null };
  upstream: { name: string | null; version: string | null };
  userAgent: string | null;
  summary: string;
  tokens: number | null;
  error: { code: number | null; message: string | null } | null;
  message: unknown;
  size: number;
  truncated: boolean;
  headers: { request: HeaderMap | null; response: HeaderMap | null };
  partnerId: number | null;
  note: string | null;
}

export interface Page<T> {
  data: T[];
  pagination: { count: number; limit: number; hasMore: boolean; nextCursor: string | null };
}
