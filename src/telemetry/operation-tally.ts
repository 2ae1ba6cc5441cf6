import { bucketIndex, MCP_DURATION_BUCKETS } from './durations.js';

/**
 * Request counts and duration buckets per server and method, summed in the capture worker and shipped
 * to the proxy's thread as deltas with each acknowledgement (capture/worker-protocol.ts): the proxy
 * adds a handful of numbers per batch, never per request. Plain data: it crosses a thread boundary.
 */
export interface OperationDelta {
  server: string;
  method: string;
  requests: number;
  /** Failed requests by `error.type` (a JSON-RPC code, or tool_error). */
  errors: Record<string, number>;
  /** Requests per duration bucket (MCP_DURATION_BUCKETS, then +Inf), not cumulative. */
  buckets: number[];
  /** Sum of the durations, in seconds. */
  seconds: number;
}

export interface MetricsDelta {
  operations: OperationDelta[];
  /** Sessions that completed their handshake, per server. */
  sessions: Record<string, number>;
}

/** Collects deltas until they are taken. */
export class OperationTally {
  #operations = new Map<string, OperationDelta>();
  #sessions: Record<string, number> = {};
  #dirty = false;

  answered(server: string, method: string, seconds: number, errorType: string | null): void {
    const key = `${server}\u0000${method}`;
    let entry = this.#operations.get(key);
    if (!entry) {
      entry = {
        server,
        method,
        requests: 0,
        errors: {},
        buckets: new Array<number>(MCP_DURATION_BUCKETS.length + 1).fill(0),
        seconds: 0,
      };
      this.#operations.set(key, entry);
    }
    entry.requests++;
    entry.seconds += seconds;
    const index = bucketIndex(seconds);
    entry.buckets[index] = (entry.buckets[index] ?? 0) + 1;
    if (errorType) entry.errors[errorType] = (entry.errors[errorType] ?? 0) + 1;
    this.#dirty = true;
  }

  session(server: string): void {
    this.#sessions[server] = (this.#sessions[server] ?? 0) + 1;
    this.#dirty = true;
  }

  /** What changed since the last call, or null when nothing did. */
  take(): MetricsDelta | null {
    if (!this.#dirty) return null;
    const delta = { operations: [...this.#operations.values()], sessions: this.#sessions };
    this.#operations = new Map();
    this.#sessions = {};
    this.#dirty = false;
    return delta;
  }
}
