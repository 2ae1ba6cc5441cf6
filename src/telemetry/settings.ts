/**
 * OpenTelemetry export settings, as plain data: resolved once from the command line and the standard
 * `OTEL_*` variables (OpenTelemetry specification, "OTLP Exporter Configuration"), then sent to the
 * capture worker, which builds and exports the spans and metrics.
 */

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

export interface OtlpSettings {
  /** Where spans go: the endpoint with `/v1/traces` appended (the spec's rule for the base endpoint). */
  readonly tracesUrl: string;
  readonly metricsUrl: string;
  readonly protocol: OtlpProtocol;
  /** Sent with every export (an API key for the collector, say); never logged. */
  readonly headers: Readonly<Record<string, string>>;
  /** `service.name` on the resource. */
  readonly serviceName: string;
  /** Milliseconds between metric exports (OTEL_METRIC_EXPORT_INTERVAL, default 60 s). */
  readonly metricIntervalMs: number;
}

export const DEFAULT_SERVICE_NAME = 'mcp-gateway';
export const DEFAULT_METRIC_INTERVAL_MS = 60_000;

/** Something the user set that cannot be used; the message names the fix. */
export class TelemetrySettingError extends Error {
  override name = 'TelemetrySettingError';
}

export interface OtlpInput {
  /** `--otlp-endpoint`; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint?: string | undefined;
}

/** The OTLP settings, or null when no endpoint is configured (export is off unless asked for). */
export function resolveOtlp(input: OtlpInput, env: NodeJS.ProcessEnv): OtlpSettings | null {
  const fromFlag = input.endpoint !== undefined;
  const raw = (input.endpoint ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').trim();
  if (raw === '') {
    if (fromFlag) throw new TelemetrySettingError(endpointHelp('--otlp-endpoint', '""'));
    return null;
  }
  let base: URL;
  try {
    base = new URL(raw);
  } catch {
    throw new TelemetrySettingError(
      endpointHelp(fromFlag ? '--otlp-endpoint' : 'OTEL_EXPORTER_OTLP_ENDPOINT', `"${raw}"`),
    );
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new TelemetrySettingError(
      endpointHelp(fromFlag ? '--otlp-endpoint' : 'OTEL_EXPORTER_OTLP_ENDPOINT', `"${raw}"`),
    );
  }
  return {
    tracesUrl: signalUrl(base, 'traces'),
    metricsUrl: signalUrl(base, 'metrics'),
    protocol: parseProtocol(env.OTEL_EXPORTER_OTLP_PROTOCOL),
    headers: parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
    serviceName: env.OTEL_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME,
    metricIntervalMs: parseInterval(env.OTEL_METRIC_EXPORT_INTERVAL),
  };
}

function endpointHelp(what: string, value: string): string {
  return `invalid ${what} ${value}: use the collector's OTLP/HTTP base URL, such as http://localhost:4318 (spans go to /v1/traces, metrics to /v1/metrics)`;
}

/** The base endpoint gets `v1/<signal>` appended, after a `/` if it has none (OTLP exporter spec). */
function signalUrl(base: URL, signal: 'traces' | 'metrics'): string {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/v1/${signal}`;
  return url.href;
}

function parseProtocol(value: string | undefined): OtlpProtocol {
  const text = value?.trim() ?? '';
  if (text === '') return 'http/protobuf';
  if ((OTLP_PROTOCOLS as readonly string[]).includes(text)) return text as OtlpProtocol;
  throw new TelemetrySettingError(
    `invalid OTEL_EXPORTER_OTLP_PROTOCOL "${value}": use http/protobuf (the default) or http/json; grpc is not supported, point the gateway at the collector's HTTP port (4318)`,
  );
}

/** `key=value,key2=value2`, values percent-encoded (the W3C Baggage format the spec names). */
function parseHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!value?.trim()) return headers;
  for (const part of value.split(',')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    const key = at > 0 ? part.slice(0, at).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
      throw new TelemetrySettingError(
        `invalid OTEL_EXPORTER_OTLP_HEADERS: "${part.split('=')[0]?.trim()}" is not a header name; use name=value pairs separated by commas, such as api-key=abc123`,
      );
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      throw new TelemetrySettingError(
        `invalid OTEL_EXPORTER_OTLP_HEADERS: the value of "${key}" is not valid percent-encoding; encode % as %25`,
      );
    }
    // A control character would be refused by Node at every export; say so now instead.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters refused are the point
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(decoded)) {
      throw new TelemetrySettingError(
        `invalid OTEL_EXPORTER_OTLP_HEADERS: the value of "${key}" holds a control character (a line break?); remove it`,
      );
    }
    headers[key.toLowerCase()] = decoded;
  }
  return headers;
}

function parseInterval(value: string | undefined): number {
  const text = value?.trim() ?? '';
  if (text === '') return DEFAULT_METRIC_INTERVAL_MS;
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms < 100 || ms > 86_400_000) {
    throw new TelemetrySettingError(
      `invalid OTEL_METRIC_EXPORT_INTERVAL "${value}": use milliseconds from 100 to 86400000, such as 60000`,
    );
  }
  return ms;
}
