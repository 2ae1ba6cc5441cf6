import { Counter, Gauge, type Metric, Registry } from 'prom-client';
import { VERSION } from '../core/version.js';
import { MCP_DURATION_BUCKETS } from './durations.js';
import type { MetricsDelta } from './operation-tally.js';

/**
 * What the gateway already keeps and /metrics reads at scrape time: the capture queue's counts, and
 * each server's health and process. Cheap to read (no store query), so a scrape costs the proxy nothing
 * it would notice.
 */
export interface GatewaySnapshot {
  capture: {
    stored: number;
    dropped: number;
    storeFailures: number;
    /** Whether the store takes writes now (false while a PostgreSQL store is unreachable). */
    storeWritable: boolean;
    queuedEvents: number;
    queuedBytes: number;
    spans: { exported: number; dropped: number; queued: number } | null;
  };
  servers: ServerSnapshot[];
}

export interface ServerSnapshot {
  name: string;
  type: 'http' | 'stdio';
  /** The health state the API shows (up, down, auth-required, …). */
  health: string;
  /** stdio servers: the process state and how often the gateway restarted it. */
  process?: { state: string; restarts: number };
}

/** 1 for the health states in which a server answers (the API's `up` and `auth-required`). */
const ANSWERING = new Set(['up', 'auth-required']);

/** A sample's `server` label (prom-client escapes `\\`, `"` and newlines in label values). */
const SERVER_LABEL = /[{,]server="((?:[^"\\]|\\.)*)"/;

function withinScope(text: string, scope: readonly string[]): string {
  const allowed = new Set(scope);
  return text
    .split('\n')
    .filter((line) => {
      if (line.startsWith('#')) return true;
      const server = SERVER_LABEL.exec(line)?.[1];
      return server === undefined || allowed.has(server.replace(/\\(.)/g, '$1'));
    })
    .join('\n');
}

interface DurationSeries {
  labels: { server: string; method: string };
  buckets: number[];
  seconds: number;
  count: number;
}

/**
 * The Prometheus registry behind /metrics (text exposition format 0.0.4, rendered by prom-client).
 * Request counts and durations arrive as deltas from the capture worker (telemetry/operation-tally.ts);
 * everything else is read from the snapshot when scraped.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'server' | 'method'>;
  readonly #errors: Counter<'server' | 'method' | 'error_type'>;
  readonly #sessions: Counter<'server'>;
  readonly #durations = new Map<string, DurationSeries>();

  /** `spans`: OTLP export is on, so its span counters are registered (absent otherwise, not zero). */
  constructor(snapshot: () => GatewaySnapshot, options: { spans: boolean } = { spans: false }) {
    const registers = [this.registry];
    this.#requests = new Counter({
      name: 'mcp_gateway_requests_total',
      help: 'MCP requests answered, per server and method (client to server, and server to client)',
      labelNames: ['server', 'method'],
      registers,
    });
    this.#errors = new Counter({
      name: 'mcp_gateway_request_errors_total',
      help: 'Answered MCP requests that failed, per server, method and error.type (a JSON-RPC error code, or tool_error for a tool result with isError)',
      labelNames: ['server', 'method', 'error_type'],
      registers,
    });
    this.#sessions = new Counter({
      name: 'mcp_gateway_sessions_total',
      help: 'MCP sessions that completed their initialize handshake, per server',
      labelNames: ['server'],
      registers,
    });
    this.registry.registerMetric(this.#durationMetric());
    let current: GatewaySnapshot | null = null;
    // One snapshot per scrape, read by the first metric collected and shared by the others.
    const read = (): GatewaySnapshot => {
      current ??= snapshot();
      queueMicrotask(() => {
        current = null;
      });
      return current;
    };
    const gauge = (
      name: string,
      help: string,
      labelNames: string[],
      fill: (gauge: Gauge<string>, now: GatewaySnapshot) => void,
    ) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          fill(this, read());
        },
      });
    // Totals the gateway keeps itself are exposed as counters by value (they only grow within a process).
    const total = (name: string, help: string, value: (now: GatewaySnapshot) => number | null) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          const v = value(read());
          if (v !== null) this.inc(v);
        },
      });
    gauge('mcp_gateway_info', 'The gateway version, as a label; always 1', ['version'], (g) =>
      g.set({ version: VERSION }, 1),
    );
    total(
      'mcp_gateway_captured_messages_total',
      'Messages captured and stored since start',
      (s) => s.capture.stored,
    );
    total(
      'mcp_gateway_capture_dropped_total',
      'Capture events dropped because the capture queue was full (the traffic itself was forwarded)',
      (s) => s.capture.dropped,
    );
    total(
      'mcp_gateway_store_failures_total',
      'Captured messages the store could not write (disk full, read-only file)',
      (s) => s.capture.storeFailures,
    );
    gauge(
      'mcp_gateway_store_writable',
      'Whether the store takes captured messages now: 0 while PostgreSQL is unreachable (they wait, then are dropped)',
      [],
      (g, s) => g.set(s.capture.storeWritable ? 1 : 0),
    );
    gauge('mcp_gateway_capture_queue_events', 'Capture events waiting for the capture writer', [], (g, s) =>
      g.set(s.capture.queuedEvents),
    );
    gauge(
      'mcp_gateway_capture_queue_bytes',
      'Bytes of capture events waiting for the capture writer',
      [],
      (g, s) => g.set(s.capture.queuedBytes),
    );
    if (options.spans) {
      total(
        'mcp_gateway_otlp_spans_exported_total',
        'Spans the OTLP collector accepted (absent when export is off)',
        (s) => (s.capture.spans ? s.capture.spans.exported : null),
      );
      total(
        'mcp_gateway_otlp_spans_dropped_total',
        'Spans lost: the OTLP export failed or its queue was full (absent when export is off)',
        (s) => (s.capture.spans ? s.capture.spans.dropped : null),
      );
    }
    gauge(
      'mcp_gateway_server_up',
      'Whether a server answers (health up or auth-required): 1 or 0',
      ['server'],
      (g, s) => {
        for (const server of s.servers) g.set({ server: server.name }, ANSWERING.has(server.health) ? 1 : 0);
      },
    );
    gauge(
      'mcp_gateway_server_health',
      "A server's health state: 1 for the state it is in (up, down, auth-required, not-found, error, starting, stopped, misconfigured, unknown)",
      ['server', 'state'],
      (g, s) => {
        for (const server of s.servers) g.set({ server: server.name, state: server.health }, 1);
      },
    );
    gauge(
      'mcp_gateway_stdio_process_state',
      "A stdio server's process: 1 for the state it is in (starting, running, crashed, stopped, misconfigured)",
      ['server', 'state'],
      (g, s) => {
        for (const server of s.servers)
          if (server.process) g.set({ server: server.name, state: server.process.state }, 1);
      },
    );
    gauge(
      'mcp_gateway_stdio_restarts',
      'How often the gateway restarted a stdio server process since start',
      ['server'],
      (g, s) => {
        for (const server of s.servers)
          if (server.process) g.set({ server: server.name }, server.process.restarts);
      },
    );
  }

  /** Adds what the capture worker counted since its last acknowledgement. */
  add(delta: MetricsDelta): void {
    for (const op of delta.operations) {
      const labels = { server: op.server, method: op.method };
      this.#requests.inc(labels, op.requests);
      for (const [errorType, count] of Object.entries(op.errors))
        this.#errors.inc({ ...labels, error_type: errorType }, count);
      const key = `${op.server}\u0000${op.method}`;
      let series = this.#durations.get(key);
      if (!series) {
        series = { labels, buckets: new Array<number>(op.buckets.length).fill(0), seconds: 0, count: 0 };
        this.#durations.set(key, series);
      }
      op.buckets.forEach((count, index) => {
        (series as DurationSeries).buckets[index] = ((series as DurationSeries).buckets[index] ?? 0) + count;
      });
      series.seconds += op.seconds;
      series.count += op.requests;
    }
    for (const [server, count] of Object.entries(delta.sessions)) this.#sessions.inc({ server }, count);
  }

  /**
   * The exposition text and its content type. `scope`: the servers the reader may see (a token limited
   * to some servers); series of other servers are left out, gateway-wide totals stay.
   */
  async scrape(scope: readonly string[] | null = null): Promise<{ text: string; contentType: string }> {
    const text = await this.registry.metrics();
    return { text: scope ? withinScope(text, scope) : text, contentType: this.registry.contentType };
  }

  /**
   * The duration histogram. Its buckets are summed in the capture worker, so it is rendered from those
   * sums (prom-client's Histogram only takes single observations): the same `_bucket`/`_sum`/`_count`
   * series a Histogram renders, `le` cumulative, ending at +Inf.
   */
  #durationMetric(): Metric<string> {
    const name = 'mcp_gateway_request_duration_seconds';
    const help =
      'MCP request duration from the request reaching the gateway to its answer handed back, per server and method (the MCP conventions buckets)';
    const series = this.#durations;
    const metric = {
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      async get() {
        const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
        for (const s of series.values()) {
          let cumulative = 0;
          MCP_DURATION_BUCKETS.forEach((le, index) => {
            cumulative += s.buckets[index] ?? 0;
            values.push({ metricName: `${name}_bucket`, labels: { ...s.labels, le }, value: cumulative });
          });
          values.push({ metricName: `${name}_bucket`, labels: { ...s.labels, le: '+Inf' }, value: s.count });
          values.push({ metricName: `${name}_sum`, labels: s.labels, value: s.seconds });
          values.push({ metricName: `${name}_count`, labels: s.labels, value: s.count });
        }
        return { name, help, type: 'histogram', aggregator: 'sum', values };
      },
    };
    // prom-client renders any registered object with name, help, type and get() (registry.js); its types
    // only name its own classes.
    return metric as unknown as Metric<string>;
  }
}
