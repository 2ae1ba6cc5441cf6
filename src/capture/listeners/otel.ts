import { mcpOperation } from '../../telemetry/mcp-operation.js';
import type { OtelExport, Peer } from '../../telemetry/otel-export.js';
import type { CaptureListener } from '../pipeline.js';

/** What the listener needs of the exporter (telemetry/otel-export.ts), so tests can pass a fake. */
export type OperationExport = Pick<OtelExport, 'operation' | 'sessionEnded' | 'shutdown'>;

/** Sessions whose end is awaited, for their duration; the oldest are forgotten past this many. */
const MAX_OPEN_SESSIONS = 10_000;
/** How long closing the worker waits for the last spans and metrics to reach the collector. */
const SHUTDOWN_FLUSH_MS = 3000;

/**
 * Spans and MCP metrics for OpenTelemetry, built in the capture worker from what capture already
 * parsed and correlated: the proxy does nothing for them. Runs after redaction, so a secret that capture
 * does not store does not leave for the collector either.
 */
export function otelListener(
  exporter: OperationExport,
  peers: (server: string) => Peer | null,
): CaptureListener {
  const sessions = new Map<string, { start: number; version: string | null; pipe: boolean }>();
  return {
    name: 'opentelemetry',
    answered(request, response, leg) {
      const op = mcpOperation(request, response, leg);
      if (op) exporter.operation(op, op.transport === 'tcp' ? peers(op.server) : null);
    },
    session(info) {
      const key = `${info.server}\u0000${info.sessionId}`;
      sessions.delete(key);
      sessions.set(key, { start: info.firstSeen, version: info.protocolVersion, pipe: false });
      if (sessions.size > MAX_OPEN_SESSIONS) {
        const oldest = sessions.keys().next().value;
        if (oldest !== undefined) sessions.delete(oldest);
      }
    },
    message(draft) {
      // A Streamable HTTP session ends with the client's DELETE (MCP transports, "Session Management").
      const { record } = draft;
      if (record.httpMethod !== 'DELETE' || record.transport !== 'http' || record.sessionId === null) return;
      const key = `${record.server}\u0000${record.sessionId}`;
      const session = sessions.get(key);
      if (!session) return;
      sessions.delete(key);
      const attributes: Record<string, string> = { 'network.transport': 'tcp' };
      if (session.version) attributes['mcp.protocol.version'] = session.version;
      attributes['mcp_gateway.server'] = record.server;
      exporter.sessionEnded(Math.max(0, record.time - session.start) / 1000, attributes, true);
    },
    done() {
      return exporter.shutdown(SHUTDOWN_FLUSH_MS);
    },
  };
}
