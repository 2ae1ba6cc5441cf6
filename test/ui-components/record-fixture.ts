import type { CapturedRecord } from '../../ui/src/types.js';

let nextId = 1;

/** A record as the API sends it, with what a test cares about set. */
export function apiRecord(fields: Partial<CapturedRecord> = {}): CapturedRecord {
  const id = fields.id ?? nextId++;
  const timestamp = fields.timestamp ?? 1_700_000_000_000 + id;
  return {
    id,
    time: new Date(timestamp).toISOString(),
    timestamp,
    server: 'everything',
    sessionId: 's-1',
    sessionSource: 'transport',
    protocolVersion: '2025-11-25',
    direction: 'client_to_server',
    kind: 'request',
    jsonrpcId: id,
    method: 'tools/call',
    http: { method: 'POST', status: 200, transport: 'http-json' },
    sse: null,
    durationMs: null,
    client: { name: 'test-client', version: '1.0.0' },
    upstream: { name: null, version: null },
    userAgent: null,
    summary: `record ${id}`,
    tokens: null,
    error: null,
    message: { jsonrpc: '2.0', id, method: 'tools/call' },
    size: 40,
    truncated: false,
    headers: { request: null, response: null },
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
    ...fields,
  };
}
