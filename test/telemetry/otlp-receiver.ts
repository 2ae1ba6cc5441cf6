import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

/**
 * An OTLP/HTTP collector for tests: decodes exactly what the exporter sends, protobuf (with the OTLP
 * message definitions in otlp.proto) or JSON, into one plain shape for assertions.
 */

export type AttributeValue = string | number | boolean;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** 1 internal, 2 server, 3 client (the OTLP SpanKind numbers). */
  kind: number;
  startNanos: bigint;
  endNanos: bigint;
  attributes: Record<string, AttributeValue>;
  status: { code: number; message: string };
  resource: Record<string, AttributeValue>;
}

export interface ReceivedHistogramPoint {
  attributes: Record<string, AttributeValue>;
  count: number;
  sum: number;
  bucketCounts: number[];
  explicitBounds: number[];
}

export interface ReceivedMetric {
  name: string;
  unit: string;
  points: ReceivedHistogramPoint[];
}

export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  /** Every metric of every export, in arrival order (cumulative: the last is the total). */
  metrics: ReceivedMetric[];
  /** Content types of the requests received, per path. */
  requests: { path: string; contentType: string; headers: Record<string, string | string[] | undefined> }[];
  close(): Promise<void>;
}

const root = protobuf.parse(readFileSync(new URL('./otlp.proto', import.meta.url), 'utf8')).root;
const TraceRequest = root.lookupType('otlp.ExportTraceServiceRequest');
const MetricsRequest = root.lookupType('otlp.ExportMetricsServiceRequest');
const OBJECT_OPTIONS = { longs: String, bytes: String, enums: Number, defaults: true, oneofs: true };

// biome-ignore lint/suspicious/noExplicitAny: decoded OTLP, protobuf and JSON alike, is untyped here
type Loose = any;

function anyValue(value: Loose): AttributeValue {
  if (value === null || value === undefined) return '';
  for (const key of ['stringValue', 'boolValue', 'doubleValue'])
    if (value[key] !== undefined) return value[key];
  if (value.intValue !== undefined) return Number(value.intValue);
  return JSON.stringify(value);
}

function attributes(list: Loose[] | undefined): Record<string, AttributeValue> {
  const result: Record<string, AttributeValue> = {};
  for (const { key, value } of list ?? []) result[key] = anyValue(value);
  return result;
}

/** protobuf bytes come as base64 (OBJECT_OPTIONS), JSON ids as hex (the OTLP/JSON rule). */
function hexId(value: string | undefined, json: boolean): string {
  if (!value) return '';
  return json ? value.toLowerCase() : Buffer.from(value, 'base64').toString('hex');
}

function spansOf(body: Loose, json: boolean): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const rs of body.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        spans.push({
          traceId: hexId(span.traceId, json),
          spanId: hexId(span.spanId, json),
          parentSpanId: hexId(span.parentSpanId, json),
          name: span.name,
          kind: Number(span.kind),
          startNanos: BigInt(span.startTimeUnixNano),
          endNanos: BigInt(span.endTimeUnixNano),
          attributes: attributes(span.attributes),
          status: { code: Number(span.status?.code ?? 0), message: span.status?.message ?? '' },
          resource,
        });
      }
    }
  }
  return spans;
}

function metricsOf(body: Loose): ReceivedMetric[] {
  const metrics: ReceivedMetric[] = [];
  for (const rm of body.resourceMetrics ?? []) {
    for (const sm of rm.scopeMetrics ?? []) {
      for (const metric of sm.metrics ?? []) {
        if (!metric.histogram) continue;
        metrics.push({
          name: metric.name,
          unit: metric.unit,
          points: (metric.histogram.dataPoints ?? []).map((point: Loose) => ({
            attributes: attributes(point.attributes),
            count: Number(point.count),
            sum: Number(point.sum ?? 0),
            bucketCounts: (point.bucketCounts ?? []).map(Number),
            explicitBounds: (point.explicitBounds ?? []).map(Number),
          })),
        });
      }
    }
  }
  return metrics;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const receiver = { spans: [], metrics: [], requests: [] } as unknown as OtlpReceiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = req.headers['content-type'] ?? '';
      const path = req.url ?? '/';
      receiver.requests.push({ path, contentType, headers: req.headers });
      const json = contentType.startsWith('application/json');
      const decode = (type: protobuf.Type) =>
        json ? JSON.parse(body.toString('utf8')) : type.toObject(type.decode(body), OBJECT_OPTIONS);
      if (path === '/v1/traces') receiver.spans.push(...spansOf(decode(TraceRequest), json));
      else if (path === '/v1/metrics') receiver.metrics.push(...metricsOf(decode(MetricsRequest)));
      // An empty Export*ServiceResponse: everything accepted.
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}
