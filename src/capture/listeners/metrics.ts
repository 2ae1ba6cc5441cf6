import { mcpOperation } from '../../telemetry/mcp-operation.js';
import type { OperationTally } from '../../telemetry/operation-tally.js';
import type { CaptureListener } from '../pipeline.js';

/**
 * Counts answered requests, their errors and durations per server and method, and sessions, for
 * Prometheus (/metrics). The counting happens here, in the capture worker; the proxy's thread only adds
 * the sums it is sent.
 */
export function metricsListener(tally: OperationTally): CaptureListener {
  return {
    name: 'metrics',
    answered(request, response, leg) {
      const op = mcpOperation(request, response, leg);
      if (op) tally.answered(op.server, op.method, (op.end - op.start) / 1000, op.errorType);
    },
    session(info) {
      tally.session(info.server);
    },
  };
}
