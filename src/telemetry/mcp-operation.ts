import type { UpstreamLeg } from '../core/capture-events.js';
import { type NewRecord, sessionSource } from '../core/record.js';

/**
 * One answered MCP request, in the terms of the OpenTelemetry semantic conventions for MCP
 * (semantic-conventions, docs/gen-ai/mcp.md): the span name, its attributes and outcome, and the
 * times of the request's two legs through the gateway. Built from what capture already parsed; a pure
 * function, so the span exporter and its tests share it.
 */
export interface McpOperation {
  /** `{mcp.method.name} {target}`, target being the tool or prompt name where there is one. */
  name: string;
  method: string;
  /** The gateway's server name for the upstream (`mcp_gateway.server`). */
  server: string;
  attributes: Record<string, string | number>;
  /** `error.type`: the JSON-RPC error code, or `tool_error` for a tool result with `isError: true`. */
  errorType: string | null;
  /** The status description: the JSON-RPC error's message (or the tool's error text). */
  errorMessage: string | null;
  /** The request as the gateway received it, to its answer handed back (epoch milliseconds). */
  start: number;
  end: number;
  /** The upstream leg (request written to the upstream, its answer read back), where the proxy timed it. */
  upstream: UpstreamLeg | null;
  /** `params._meta.traceparent` / `tracestate` of the request: the remote parent (W3C Trace Context). */
  traceparent: string | null;
  tracestate: string | null;
  /** `pipe` for stdio servers, `tcp` for HTTP ones (`network.transport`). */
  transport: 'pipe' | 'tcp';
  /** Who sent the request: the client (the gateway serves it) or the upstream server (sampling, elicitation). */
  from: 'client' | 'server';
}

export interface CapturedMessage {
  record: NewRecord;
  value: unknown;
}

/** Methods whose `params.uri` is a resource (the conventions' note on `mcp.resource.uri`). */
const RESOURCE_METHODS = new Set(['resources/read', 'resources/subscribe', 'resources/unsubscribe']);

/**
 * MCP 2026-07-28 has no sessions: a request's `Mcp-Session-Id` no longer exists, and the ids capture
 * groups such traffic under are its own (`conv-…`), never the protocol's.
 */
const SESSIONLESS_VERSIONS = new Set(['2026-07-28']);

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** The operation for a request and its answer; null when the request is no JSON-RPC request. */
export function mcpOperation(
  request: CapturedMessage,
  response: CapturedMessage,
  leg: UpstreamLeg | null,
): McpOperation | null {
  const method = request.record.method;
  if (method === null || request.record.kind !== 'request') return null;
  const params = asObject(asObject(request.value)?.params);
  const meta = asObject(params?._meta);
  const attributes: Record<string, string | number> = { 'mcp.method.name': method };
  let target: string | null = null;
  if (method === 'tools/call') {
    target = text(params?.name);
    if (target) attributes['gen_ai.tool.name'] = target;
    attributes['gen_ai.operation.name'] = 'execute_tool';
  } else if (method === 'prompts/get') {
    target = text(params?.name);
    if (target) attributes['gen_ai.prompt.name'] = target;
  } else if (RESOURCE_METHODS.has(method)) {
    const uri = text(params?.uri);
    if (uri) attributes['mcp.resource.uri'] = uri;
  }
  const version = response.record.protocolVersion ?? request.record.protocolVersion;
  if (version) attributes['mcp.protocol.version'] = version;
  const sessionId = request.record.sessionId;
  if (
    sessionId !== null &&
    sessionSource(sessionId) === 'transport' &&
    !(version && SESSIONLESS_VERSIONS.has(version))
  ) {
    attributes['mcp.session.id'] = sessionId;
  }
  const id = request.record.jsonrpcId;
  if (id !== undefined && id !== null) attributes['jsonrpc.request.id'] = String(id);
  const transport = request.record.transport === 'stdio' ? 'pipe' : 'tcp';
  attributes['network.transport'] = transport;
  attributes['mcp_gateway.server'] = request.record.server;

  const errorType = errorTypeOf(response);
  const errorMessage = errorType ? response.record.errorMessage : null;
  if (errorType) attributes['error.type'] = errorType;
  if (response.record.kind === 'error' && response.record.errorCode !== null)
    attributes['rpc.response.status_code'] = String(response.record.errorCode);
  if (response.record.gatewayMs !== null) attributes['mcp_gateway.gateway_ms'] = response.record.gatewayMs;
  if (response.record.upstreamMs !== null) attributes['mcp_gateway.upstream_ms'] = response.record.upstreamMs;

  return {
    name: target ? `${method} ${target}` : method,
    method,
    server: request.record.server,
    attributes,
    errorType,
    errorMessage,
    start: request.record.time,
    end: Math.max(request.record.time, response.record.time),
    upstream: leg,
    traceparent: text(meta?.traceparent),
    tracestate: text(meta?.tracestate),
    transport,
    from: request.record.direction === 'client_to_server' ? 'client' : 'server',
  };
}

/**
 * `error.type` of an answer: its JSON-RPC error code, `tool_error` for a tool result with `isError: true`
 * (MCP spec, "Tools: Error Handling"), or null when it succeeded.
 */
export function errorTypeOf(response: CapturedMessage): string | null {
  if (response.record.kind === 'error') {
    const code = response.record.errorCode;
    return code === null ? '_OTHER' : String(code);
  }
  return isToolError(response.value) ? 'tool_error' : null;
}

/** A tool's failure is a result with `isError: true`. */
function isToolError(value: unknown): boolean {
  return asObject(asObject(value)?.result)?.isError === true;
}
