import { errorTypeOf } from '../../telemetry/mcp-operation.js';
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
    answered(request, response) {
      const { method, kind, server, time } = request.record;
      if (method === null || kind !== 'request') return;
      const seconds = Math.max(0, response.record.time - time) / 1000;
      tally.answered(server, method, seconds, errorTypeOf(response));
    },
    session(info) {
      tally.session(info.server);
    },
  };
}
