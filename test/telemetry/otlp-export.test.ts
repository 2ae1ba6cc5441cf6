import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCP_DURATION_BUCKETS } from '../../src/telemetry/durations.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { everythingCommand, waitFor } from '../helpers/stdio.js';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
/** A caller's trace context, sent in `params._meta` as the MCP conventions propagate it. */
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN}-01`;

async function spansNamed(receiver: OtlpReceiver, name: string, count: number): Promise<ReceivedSpan[]> {
  return waitFor(
    `${count} span(s) named ${name}`,
    () => {
      const spans = receiver.spans.filter((s) => s.name === name);
      return spans.length >= count ? spans : undefined;
    },
    15_000,
  );
}

/** A JSON-RPC request the SDK client would not send: an unknown method, answered with -32601. */
async function unknownMethod(url: string, sessionId: string, protocolVersion: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': protocolVersion,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 'raw-7', method: 'no/such-method', params: {} }),
  });
  return response.text();
}

describe('OpenTelemetry export (http/protobuf)', () => {
  let receiver: OtlpReceiver;
  let everything: RunningEverything;
  let gw: TestGateway;
  let sessionId = '';
  const protocolVersion = LATEST_PROTOCOL_VERSION;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    everything = await startEverything();
    gw = await startTestGateway({
      otlpEndpoint: receiver.url,
      servers: {
        everything: { type: 'http', url: everything.url },
        local: { type: 'stdio', ...everythingCommand },
      },
    });
    const remote = await connectClient(gw.proxyUrl('everything'));
    sessionId = remote.transport.sessionId ?? '';
    await remote.client.callTool({
      name: 'echo',
      arguments: { message: 'traced' },
      _meta: { traceparent: TRACEPARENT },
    });
    await remote.client.callTool({ name: 'no-such-tool', arguments: {} });
    await unknownMethod(gw.proxyUrl('everything'), sessionId, protocolVersion);
    await remote.close();
    const local = await connectClient(gw.proxyUrl('local'));
    await local.client.callTool({ name: 'echo', arguments: { message: 'over stdio' } });
    await local.close();
    await gw.gateway.flushCapture();
  }, 60_000);

  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
    await receiver?.close();
  });

  it('sends a SERVER span per request, named and attributed by the MCP conventions, parented by _meta.traceparent', async () => {
    const [span] = (await spansNamed(receiver, 'tools/call echo', 2)).filter(
      (s) => s.kind === SERVER && s.attributes['network.transport'] === 'tcp',
    );
    expect(span).toBeDefined();
    if (!span) return;
    expect(receiver.requests[0]?.contentType).toBe('application/x-protobuf');
    expect(span.traceId).toBe(TRACE_ID);
    expect(span.parentSpanId).toBe(CALLER_SPAN);
    expect(span.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'echo',
      'gen_ai.operation.name': 'execute_tool',
      'mcp.session.id': sessionId,
      'mcp.protocol.version': protocolVersion,
      'network.transport': 'tcp',
      'mcp_gateway.server': 'everything',
    });
    expect(typeof span.attributes['jsonrpc.request.id']).toBe('string');
    expect(span.attributes['error.type']).toBeUndefined();
    expect(span.status.code).toBe(0);
    expect(span.endNanos).toBeGreaterThan(span.startNanos);
    expect(span.resource['service.name']).toBe('mcp-gateway');
  });

  it('times the upstream leg as a CLIENT child naming the upstream server', async () => {
    const spans = await spansNamed(receiver, 'tools/call echo', 3);
    const parent = spans.find((s) => s.kind === SERVER && s.traceId === TRACE_ID);
    const child = spans.find((s) => s.kind === CLIENT && s.parentSpanId === parent?.spanId);
    expect(child).toBeDefined();
    if (!parent || !child) return;
    expect(child.traceId).toBe(TRACE_ID);
    expect(child.attributes['server.address']).toBe('127.0.0.1');
    expect(child.attributes['server.port']).toBe(Number(new URL(everything.url).port));
    // The upstream's time lies within the gateway's: the rest is the gateway's own.
    expect(child.startNanos).toBeGreaterThanOrEqual(parent.startNanos);
    expect(child.endNanos).toBeLessThanOrEqual(parent.endNanos);
  });

  it('marks a tool that failed (isError) with error.type tool_error and status ERROR', async () => {
    const [span] = await spansNamed(receiver, 'tools/call no-such-tool', 1);
    expect(span?.attributes['error.type']).toBe('tool_error');
    expect(span?.status.code).toBe(ERROR);
    expect(span?.status.message).toMatch(/no-such-tool/i);
    expect(span?.attributes['rpc.response.status_code']).toBeUndefined();
  });

  it('marks a JSON-RPC error with its code as error.type and rpc.response.status_code, its message as the status', async () => {
    const [span] = await spansNamed(receiver, 'no/such-method', 1);
    expect(span?.attributes['error.type']).toBe('-32601');
    expect(span?.attributes['rpc.response.status_code']).toBe('-32601');
    expect(span?.attributes['jsonrpc.request.id']).toBe('raw-7');
    expect(span?.status.code).toBe(ERROR);
    expect(span?.status.message).toMatch(/not found/i);
  });

  it('marks stdio traffic network.transport pipe, with no server address', async () => {
    const spans = await spansNamed(receiver, 'tools/call echo', 2);
    const stdio = spans.filter((s) => s.attributes['network.transport'] === 'pipe');
    expect(stdio.map((s) => s.kind)).toContain(SERVER);
    for (const span of stdio) {
      expect(span.attributes['mcp_gateway.server']).toBe('local');
      expect(span.attributes['server.address']).toBeUndefined();
    }
  });

  it('counts exported spans in /api/status', async () => {
    const status = await waitFor(
      'the exported spans counted in /api/status',
      async () => {
        const body = (await (await gw.api('/api/status')).json()) as {
          capture: { telemetry: { exported: number; dropped: number } | null };
        };
        return (body.capture.telemetry?.exported ?? 0) >= receiver.spans.length && receiver.spans.length > 0
          ? body
          : undefined;
      },
      10_000,
    );
    expect(status.capture.telemetry?.dropped).toBe(0);
  });

  it('sends the operation and session duration histograms with the conventions buckets, flushed at shutdown', async () => {
    await gw.stop();
    const byName = (name: string) => receiver.metrics.filter((m) => m.name === name).at(-1);
    const server = byName('mcp.server.operation.duration');
    expect(server?.unit).toBe('s');
    const echo = server?.points.find(
      (p) => p.attributes['gen_ai.tool.name'] === 'echo' && p.attributes['network.transport'] === 'tcp',
    );
    expect(echo?.count).toBe(1);
    expect(echo?.explicitBounds).toEqual(MCP_DURATION_BUCKETS);
    expect(echo?.bucketCounts.reduce((a, b) => a + b, 0)).toBe(1);
    const failed = server?.points.find((p) => p.attributes['error.type'] === '-32601');
    expect(failed?.count).toBe(1);
    const client = byName('mcp.client.operation.duration');
    expect(
      client?.points.some((p) => p.attributes['server.port'] === Number(new URL(everything.url).port)),
    ).toBe(true);
    const session = byName('mcp.server.session.duration');
    expect(session?.points.reduce((sum, p) => sum + p.count, 0)).toBeGreaterThanOrEqual(1);
  });
});
