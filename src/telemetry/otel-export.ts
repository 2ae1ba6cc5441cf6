import {
  type Attributes,
  type Context,
  defaultTextMapGetter,
  type Histogram,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { VERSION } from '../core/version.js';
import { CountingExporter, type SpanCounts } from './counting-exporter.js';
import { MCP_DURATION_BUCKETS } from './durations.js';
import type { McpOperation } from './mcp-operation.js';
import type { OtlpSettings } from './settings.js';

/**
 * The batch queue's bounds (BatchSpanProcessor): at most MAX_QUEUE spans wait, sent MAX_BATCH at a time
 * every BATCH_DELAY_MS. Past MAX_QUEUE, new spans are dropped and counted: a collector that is slow or
 * gone costs a bounded amount of memory and nothing else.
 */
const MAX_QUEUE = 2048;
const MAX_BATCH = 512;
const BATCH_DELAY_MS = 1000;
/** One export may take this long (the OTLP exporter retries within it), then its spans count as dropped. */
const EXPORT_TIMEOUT_MS = 10_000;

/** Where an upstream listens, for `server.address`/`server.port` on the gateway's client spans. */
export interface Peer {
  address: string;
  port: number;
}

export interface TelemetryCounts extends SpanCounts {
  /** Metric exports that failed (each loses that interval's points; cumulative sums catch up). */
  metricExportFailures: number;
}

const propagator = new W3CTraceContextPropagator();

/**
 * Exports spans and metrics for answered MCP requests over OTLP/HTTP with the official exporters. Runs
 * in the capture worker: nothing here is on the proxy's path, and export happens in the background.
 *
 * Span kinds: the gateway is the client's server and the upstream's client. What the client asked is a
 * SERVER span (request received → answer handed back, the client's `traceparent` its parent); the
 * upstream leg, where the proxy timed it, is its CLIENT child (request written upstream → answer read
 * back). Their difference is the gateway's own time. A request the upstream sends the client (sampling,
 * elicitation) is a SERVER span too: the gateway received it from the upstream.
 */
export class OtelExport {
  readonly #tracer: Tracer;
  readonly #spans: CountingExporter;
  readonly #traces: BasicTracerProvider;
  readonly #meters: MeterProvider;
  readonly #serverDuration: Histogram;
  readonly #clientDuration: Histogram;
  readonly #serverSession: Histogram;
  readonly #clientSession: Histogram;
  #metricFailures = 0;

  constructor(settings: OtlpSettings, report: (message: string) => void) {
    const resource = resourceFromAttributes({
      [ATTR_SERVICE_NAME]: settings.serviceName,
      [ATTR_SERVICE_VERSION]: VERSION,
    });
    const options = {
      url: settings.tracesUrl,
      headers: { ...settings.headers },
      timeoutMillis: EXPORT_TIMEOUT_MS,
    };
    const json = settings.protocol === 'http/json';
    let reported = false;
    this.#spans = new CountingExporter(
      json ? new JsonTraceExporter(options) : new ProtoTraceExporter(options),
      (error) => {
        // Reported once: a collector that stays down must not fill the terminal.
        if (reported) return;
        reported = true;
        report(
          `OpenTelemetry: sending spans to ${settings.tracesUrl} failed (${error?.message ?? 'no reason given'}); spans are dropped and counted in /api/status until it answers, traffic is unaffected`,
        );
      },
    );
    this.#traces = new BasicTracerProvider({
      resource,
      spanProcessors: [
        new BatchSpanProcessor(this.#spans, {
          maxQueueSize: MAX_QUEUE,
          maxExportBatchSize: MAX_BATCH,
          scheduledDelayMillis: BATCH_DELAY_MS,
          exportTimeoutMillis: EXPORT_TIMEOUT_MS,
        }),
      ],
    });
    this.#tracer = this.#traces.getTracer('mcp-gateway', VERSION);
    const metricOptions = { ...options, url: settings.metricsUrl };
    const metricExporter = json
      ? new JsonMetricExporter(metricOptions)
      : new ProtoMetricExporter(metricOptions);
    const countedExport = metricExporter.export.bind(metricExporter);
    metricExporter.export = (metrics, done) =>
      countedExport(metrics, (result) => {
        if (result.code !== 0) this.#metricFailures++;
        done(result);
      });
    this.#meters = new MeterProvider({
      resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter: metricExporter,
          exportIntervalMillis: settings.metricIntervalMs,
          exportTimeoutMillis: Math.min(settings.metricIntervalMs, EXPORT_TIMEOUT_MS),
        }),
      ],
    });
    const meter = this.#meters.getMeter('mcp-gateway', VERSION);
    const histogram = (name: string, description: string) =>
      meter.createHistogram(name, {
        description,
        unit: 's',
        advice: { explicitBucketBoundaries: [...MCP_DURATION_BUCKETS] },
      });
    this.#serverDuration = histogram(
      'mcp.server.operation.duration',
      'MCP request duration as observed on the receiver from the time it was received until the result or ack is sent.',
    );
    this.#clientDuration = histogram(
      'mcp.client.operation.duration',
      'The duration of the MCP request as observed on the sender from the time it was sent until the response is received.',
    );
    this.#serverSession = histogram(
      'mcp.server.session.duration',
      'The duration of the MCP session as observed on the MCP server.',
    );
    this.#clientSession = histogram(
      'mcp.client.session.duration',
      'The duration of the MCP session as observed on the MCP client.',
    );
  }

  /** A span (and its upstream child, where timed) and the duration metrics for one answered request. */
  operation(op: McpOperation, peer: Peer | null): void {
    const parent = this.#parent(op);
    const withUpstream = op.upstream !== null && op.from === 'client';
    if (this.#spans.admit(MAX_QUEUE)) {
      const span = this.#tracer.startSpan(
        op.name,
        { kind: SpanKind.SERVER, startTime: op.start, attributes: op.attributes },
        parent,
      );
      this.#outcome(span, op);
      if (withUpstream && op.upstream && this.#spans.admit(MAX_QUEUE)) {
        const child = this.#tracer.startSpan(
          op.name,
          {
            kind: SpanKind.CLIENT,
            startTime: op.upstream.forwarded,
            attributes: { ...op.attributes, ...peerAttributes(peer) },
          },
          trace.setSpan(ROOT_CONTEXT, span),
        );
        this.#outcome(child, op);
        child.end(op.upstream.received);
      }
      span.end(op.end);
    }
    const metric = metricAttributes(op);
    this.#serverDuration.record((op.end - op.start) / 1000, metric);
    if (withUpstream && op.upstream) {
      this.#clientDuration.record((op.upstream.received - op.upstream.forwarded) / 1000, {
        ...metric,
        ...peerAttributes(peer),
      });
    }
  }

  /** A session that ended: its duration, on the gateway's server side and, for HTTP upstreams, its client side. */
  sessionEnded(seconds: number, attributes: Attributes, upstream: boolean): void {
    this.#serverSession.record(seconds, attributes);
    if (upstream) this.#clientSession.record(seconds, attributes);
  }

  counts(): TelemetryCounts {
    return { ...this.#spans.counts(), metricExportFailures: this.#metricFailures };
  }

  /** Sends what is queued (spans, a last metric export) and stops, within `ms`; the rest is dropped. */
  async shutdown(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([this.#traces.shutdown(), this.#meters.shutdown()]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
    ]);
    clearTimeout(timer);
  }

  #parent(op: McpOperation): Context {
    if (!op.traceparent) return ROOT_CONTEXT;
    const carrier: Record<string, string> = { traceparent: op.traceparent };
    if (op.tracestate) carrier.tracestate = op.tracestate;
    return propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
  }

  #outcome(span: ReturnType<Tracer['startSpan']>, op: McpOperation): void {
    // The conventions: status ERROR whenever error.type is set, described by the JSON-RPC error's message.
    if (op.errorType)
      span.setStatus({ code: SpanStatusCode.ERROR, message: op.errorMessage ?? op.errorType });
  }
}

function peerAttributes(peer: Peer | null): Attributes {
  return peer ? { 'server.address': peer.address, 'server.port': peer.port } : {};
}

/** The low-cardinality attributes the duration metrics carry (never ids or resource URIs). */
function metricAttributes(op: McpOperation): Attributes {
  const keep = [
    'mcp.method.name',
    'error.type',
    'gen_ai.tool.name',
    'gen_ai.prompt.name',
    'gen_ai.operation.name',
    'rpc.response.status_code',
    'mcp.protocol.version',
    'network.transport',
    'mcp_gateway.server',
  ];
  const attributes: Attributes = {};
  for (const key of keep) {
    const value = op.attributes[key];
    if (value !== undefined) attributes[key] = value;
  }
  return attributes;
}
