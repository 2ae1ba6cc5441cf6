import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { freePort } from '../helpers/ports.js';
import { everythingCommand, waitForState } from '../helpers/stdio.js';

/** The value of one series in a Prometheus text exposition, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Prometheus /metrics', () => {
  let everything: RunningEverything;
  let gw: TestGateway;
  let metricsPort: number;

  beforeAll(async () => {
    everything = await startEverything();
    metricsPort = await freePort();
    gw = await startTestGateway({
      metricsPort,
      servers: {
        everything: { type: 'http', url: everything.url },
        local: { type: 'stdio', ...everythingCommand },
      },
    });
    const remote = await connectClient(gw.proxyUrl('everything'));
    await remote.client.callTool({ name: 'echo', arguments: { message: 'one' } });
    await remote.client.callTool({ name: 'echo', arguments: { message: 'two' } });
    await remote.client.callTool({ name: 'no-such-tool', arguments: {} });
    await remote.close();
    const local = await connectClient(gw.proxyUrl('local'));
    await local.client.callTool({ name: 'echo', arguments: { message: 'stdio' } });
    await local.close();
    await waitForState(gw, 'local', 'running');
    await gw.gateway.flushCapture();
  }, 60_000);

  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
  });

  it('counts requests, errors and durations per server and method, after real traffic', async () => {
    const response = await gw.api('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const calls = '{server="everything",method="tools/call"}';
    expect(sample(text, `mcp_gateway_requests_total${calls}`)).toBe(3);
    expect(
      sample(
        text,
        'mcp_gateway_request_errors_total{server="everything",method="tools/call",error_type="tool_error"}',
      ),
    ).toBe(1);
    expect(sample(text, 'mcp_gateway_requests_total{server="local",method="tools/call"}')).toBe(1);
    // A histogram: cumulative buckets on the MCP conventions' boundaries, ending at +Inf with the count.
    const bucket = (le: string) =>
      sample(
        text,
        `mcp_gateway_request_duration_seconds_bucket{server="everything",method="tools/call",le="${le}"}`,
      );
    expect(bucket('+Inf')).toBe(3);
    expect(bucket('300')).toBe(3);
    expect(bucket('0.01')).toBeLessThanOrEqual(bucket('0.1') ?? -1);
    expect(sample(text, `mcp_gateway_request_duration_seconds_count${calls}`)).toBe(3);
    expect(sample(text, `mcp_gateway_request_duration_seconds_sum${calls}`)).toBeGreaterThan(0);
    expect(sample(text, 'mcp_gateway_sessions_total{server="everything"}')).toBe(1);
  });

  it('reports capture, drops, store failures, stdio processes and health', async () => {
    const text = await (await gw.api('/metrics')).text();
    expect(sample(text, 'mcp_gateway_captured_messages_total')).toBeGreaterThan(8);
    expect(sample(text, 'mcp_gateway_capture_dropped_total')).toBe(0);
    expect(sample(text, 'mcp_gateway_store_failures_total')).toBe(0);
    expect(sample(text, 'mcp_gateway_capture_queue_events')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'mcp_gateway_stdio_process_state{server="local",state="running"}')).toBe(1);
    expect(sample(text, 'mcp_gateway_stdio_restarts{server="local"}')).toBe(0);
    expect(text).toMatch(/^mcp_gateway_server_health\{server="everything",state="[a-z-]+"\} 1$/m);
    expect(text).toMatch(/^mcp_gateway_server_up\{server="everything"\} [01]$/m);
    // Spans are not exported: their counters are absent rather than zero.
    expect(sample(text, 'mcp_gateway_otlp_spans_dropped_total')).toBeUndefined();
  });

  it('needs the gateway token on the main port', async () => {
    const anonymous = await fetch(`${gw.url}/metrics`);
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`${gw.url}/metrics`, {
      headers: { authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.status).toBe(401);
  });

  it('shows a token limited to some servers their series only', async () => {
    const created = await gw.api('/api/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'scraper', role: 'viewer', servers: ['local'] }),
    });
    expect(created.status).toBe(201);
    const { value } = (await created.json()) as { value: string };
    const response = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${value}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(sample(text, 'mcp_gateway_requests_total{server="local",method="tools/call"}')).toBe(1);
    expect(text).not.toContain('server="everything"');
    expect(sample(text, 'mcp_gateway_captured_messages_total')).toBeGreaterThan(0);
  });

  it('is served without a token on --metrics-port, bound to 127.0.0.1 only', async () => {
    expect(gw.gateway.metricsPort).toBe(metricsPort);
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(response.status).toBe(200);
    expect(
      sample(await response.text(), 'mcp_gateway_requests_total{server="local",method="tools/call"}'),
    ).toBe(1);
    // Another address of this machine (Linux routes 127.0.0.0/8 to loopback) finds no listener.
    await expect(fetch(`http://127.0.0.2:${metricsPort}/metrics`)).rejects.toThrow();
    // Only /metrics is there.
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/status`)).status).toBe(404);
  });

  it('refuses a page that rebinds its own host name to the metrics port', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: metricsPort,
          path: '/metrics',
          headers: { host: `evil.example:${metricsPort}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
