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

/**
 * Method names come from clients and servers: past this many per server, further names count as
 * `_OTHER` (the conventions' fallback value), so a peer inventing methods cannot grow the series, and the
 * scrape, without bound.
 */
export const MAX_METHODS_PER_SERVER = 200;
export const OTHER_METHOD = '_OTHER';
/** Error codes come from peers too: past this many distinct ones per server, the rest count as `_OTHER`. */
export const MAX_ERROR_TYPES_PER_SERVER = 50;

/** Collects deltas until they are taken. */
export class OperationTally {
  readonly #methods = new Map<string, Set<string>>();
  readonly #errorTypes = new Map<string, Set<string>>();
  #operations = new Map<string, OperationDelta>();
  #sessions: Record<string, number> = {};
  #dirty = false;

  answered(server: string, name: string, seconds: number, errorType: string | null): void {
    const method = this.#method(server, name);
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
    if (errorType) {
      const type = bounded(this.#errorTypes, server, errorType, MAX_ERROR_TYPES_PER_SERVER);
      entry.errors[type] = (entry.errors[type] ?? 0) + 1;
    }
    this.#dirty = true;
  }

  #method(server: string, name: string): string {
    return bounded(this.#methods, server, name, MAX_METHODS_PER_SERVER);
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

/** `value`, if it is one of the first `limit` values seen for `server`; else `_OTHER`. */
function bounded(seen: Map<string, Set<string>>, server: string, value: string, limit: number): string {
  let values = seen.get(server);
  if (!values) {
    values = new Set();
    seen.set(server, values);
  }
  if (values.has(value)) return value;
  if (values.size >= limit) return OTHER_METHOD;
  values.add(value);
  return value;
}
