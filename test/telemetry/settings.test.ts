import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/options.js';

const resolve = (options: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
  resolveConfig({ storageDir: '/tmp/unused', ...options }, env);

describe('OTLP settings', () => {
  it('are off unless an endpoint is given', () => {
    expect(resolve({}).otlp).toBeNull();
  });

  it('append /v1/traces and /v1/metrics to the endpoint, from the flag before the variable', () => {
    const otlp = resolve(
      { otlpEndpoint: 'http://collector:4318/otel/' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318' },
    ).otlp;
    expect(otlp?.tracesUrl).toBe('http://collector:4318/otel/v1/traces');
    expect(otlp?.metricsUrl).toBe('http://collector:4318/otel/v1/metrics');
    expect(otlp?.protocol).toBe('http/protobuf');
    expect(otlp?.serviceName).toBe('mcp-gateway');
  });

  it('read the standard variables', () => {
    const otlp = resolve(
      {},
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%3Db, X-Team = blue',
        OTEL_SERVICE_NAME: 'gw-1',
        OTEL_METRIC_EXPORT_INTERVAL: '15000',
      },
    ).otlp;
    expect(otlp).toMatchObject({
      tracesUrl: 'https://otel.example.com/v1/traces',
      protocol: 'http/json',
      headers: { 'api-key': 'a=b', 'x-team': 'blue' },
      serviceName: 'gw-1',
      metricIntervalMs: 15000,
    });
  });

  it('refuse what cannot work, naming the fix', () => {
    expect(() => resolve({ otlpEndpoint: 'localhost:4318' })).toThrow(
      /invalid --otlp-endpoint "localhost:4318": use the collector's OTLP\/HTTP base URL, such as http:\/\/localhost:4318/,
    );
    expect(() =>
      resolve({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'x', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ).toThrow(ConfigError);
    expect(() =>
      resolve({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ).toThrow(/use http\/protobuf \(the default\) or http\/json; grpc is not supported/);
    expect(() =>
      resolve({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }),
    ).toThrow(/use name=value pairs/);
    expect(() =>
      resolve({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'key=a%0Ab' }),
    ).toThrow(/the value of "key" holds a control character/);
  });

  it('take --metrics-port as a port, else none', () => {
    expect(resolve({}).metricsPort).toBeNull();
    expect(resolve({ metricsPort: '9464' }).metricsPort).toBe(9464);
    expect(resolve({}, { MCP_GATEWAY_METRICS_PORT: '9465' }).metricsPort).toBe(9465);
    expect(() => resolve({ metricsPort: 'abc' })).toThrow(/invalid port "abc"/);
  });
});
