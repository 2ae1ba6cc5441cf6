import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/stdio.js';
import { startOtlpReceiver } from './otlp-receiver.js';

async function gatewayFor(
  everything: RunningEverything,
  options: Parameters<typeof startTestGateway>[0] = {},
) {
  return startTestGateway({ ...options, servers: { everything: { type: 'http', url: everything.url } } });
}

/** Milliseconds for `calls` sequential tool calls through the gateway, on one session. */
async function timeCalls(gw: TestGateway, calls: number): Promise<number> {
  const { client, close } = await connectClient(gw.proxyUrl('everything'));
  try {
    const started = performance.now();
    for (let i = 0; i < calls; i++)
      await client.callTool({ name: 'echo', arguments: { message: `call ${i}` } });
    return performance.now() - started;
  } finally {
    await close();
  }
}

interface TelemetryStatus {
  capture: { telemetry: { exported: number; dropped: number; queued: number } | null };
}

describe('OpenTelemetry export settings and failures', () => {
  let everything: RunningEverything;

  beforeAll(async () => {
    everything = await startEverything();
  });
  afterAll(async () => {
    await everything?.stop();
  });

  it('speaks http/json when OTEL_EXPORTER_OTLP_PROTOCOL asks, with OTEL_EXPORTER_OTLP_HEADERS and OTEL_SERVICE_NAME', async () => {
    const receiver = await startOtlpReceiver();
    const gw = await gatewayFor(everything, {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=s3cret%2Cvalue,tenant=team-a',
        OTEL_SERVICE_NAME: 'team-gateway',
      },
    });
    try {
      const { client, close } = await connectClient(gw.proxyUrl('everything'));
      await client.callTool({ name: 'echo', arguments: { message: 'json' } });
      await close();
      await gw.gateway.flushCapture();
      const span = await waitFor('the echo span', () =>
        receiver.spans.find((s) => s.name === 'tools/call echo' && s.kind === 2),
      );
      expect(span.resource['service.name']).toBe('team-gateway');
      expect(span.attributes['gen_ai.tool.name']).toBe('echo');
      const request = receiver.requests.find((r) => r.path === '/v1/traces');
      expect(request?.contentType).toMatch(/^application\/json/);
      expect(request?.headers['x-collector-key']).toBe('s3cret,value');
      expect(request?.headers.tenant).toBe('team-a');
    } finally {
      await gw.stop();
      await receiver.close();
    }
  }, 60_000);

  it('is off without an endpoint: /api/status says so', async () => {
    const gw = await gatewayFor(everything);
    try {
      const status = (await (await gw.api('/api/status')).json()) as TelemetryStatus;
      expect(status.capture.telemetry).toBeNull();
    } finally {
      await gw.stop();
    }
  });

  it('with an unreachable collector, traffic goes on as fast and the lost spans are counted', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const calls = 60;
    const plain = await gatewayFor(everything);
    const exporting = await gatewayFor(everything, { otlpEndpoint: dead });
    try {
      // Warm both up once (connection pools, the upstream's JIT), then time the same calls through each.
      await timeCalls(plain, 5);
      await timeCalls(exporting, 5);
      const without = await timeCalls(plain, calls);
      const withDead = await timeCalls(exporting, calls);
      // No absolute figures: the gateway exporting to a dead collector is not markedly slower than one
      // exporting nothing (a proxy that waited on the export would take seconds per batch).
      expect(withDead).toBeLessThan(without * 2 + 250);
      await exporting.gateway.flushCapture();
      const status = await waitFor(
        'the lost spans counted in /api/status',
        async () => {
          const body = (await (await exporting.api('/api/status')).json()) as TelemetryStatus;
          return (body.capture.telemetry?.dropped ?? 0) >= calls ? body : undefined;
        },
        30_000,
      );
      expect(status.capture.telemetry?.exported).toBe(0);
      const metrics = await (await exporting.api('/metrics')).text();
      const dropped = /^mcp_gateway_otlp_spans_dropped_total (\d+)$/m.exec(metrics)?.[1];
      expect(Number(dropped)).toBeGreaterThanOrEqual(calls);
      expect(exporting.messages.join('\n')).toMatch(/OpenTelemetry: sending spans to .* failed/);
      // Captured traffic is unaffected by the export's failure.
      const echoes = await exporting.records((r) => r.method === 'tools/call' && r.kind === 'response');
      expect(echoes.length).toBe(calls + 5);
    } finally {
      await plain.stop();
      const started = Date.now();
      await exporting.stop();
      // Shutdown waits for the dead collector briefly, not for the exporter's retries to run out.
      expect(Date.now() - started).toBeLessThan(8000);
    }
  }, 90_000);
});
