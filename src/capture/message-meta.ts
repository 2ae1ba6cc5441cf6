/**
 * What a message says about who sent it and under which protocol version. MCP 2026-07-28 has no
 * initialize: every request carries the version, the client's capabilities and its clientInfo in
 * `params._meta`, and servers name themselves in every result's `_meta` (Basic, "General fields: _meta",
 * per-request and per-response protocol fields; `server/discover`). Earlier versions say it once, in the
 * initialize handshake (Lifecycle, "Initialization").
 */

export const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';
export const CLIENT_INFO_META = 'io.modelcontextprotocol/clientInfo';
export const CLIENT_CAPABILITIES_META = 'io.modelcontextprotocol/clientCapabilities';
export const SERVER_INFO_META = 'io.modelcontextprotocol/serverInfo';

/** A client's or server's self-reported name and version (the spec's `Implementation`). */
export interface Implementation {
  name: string | null;
  version: string | null;
}

/** What a request of the per-request era (2026-07-28 and later) declares in its `_meta`. */
export interface RequestClaims {
  protocolVersion: string;
  client: Implementation | null;
  /** Who the client is, for grouping: clientInfo and declared capabilities, as one comparable string. */
  identity: string;
  /** The W3C trace id of `_meta.traceparent`, when the client propagates trace context. */
  traceId: string | null;
}

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function implementation(value: unknown): Implementation | null {
  const info = asObject(value);
  if (!info) return null;
  return { name: stringOrNull(info.name), version: stringOrNull(info.version) };
}

/**
 * The trace id of a W3C `traceparent` (Trace Context, section 3.2: `version-traceid-parentid-flags`);
 * null when absent or malformed, and for the all-zero id, which the spec declares invalid.
 */
export function traceIdOf(traceparent: unknown): string | null {
  if (typeof traceparent !== 'string') return null;
  const match = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}/.exec(traceparent.trim().toLowerCase());
  const id = match?.[1];
  return id && !/^0+$/.test(id) ? id : null;
}

/**
 * The claims of a message whose `_meta` names a protocol version: the mark of the per-request era.
 * Null for everything else (2025 requests, responses, non-JSON-RPC).
 */
export function requestClaims(message: unknown): RequestClaims | null {
  const meta = asObject(asObject(asObject(message)?.params)?._meta);
  const protocolVersion = stringOrNull(meta?.[PROTOCOL_VERSION_META]);
  if (!meta || protocolVersion === null) return null;
  const client = implementation(meta[CLIENT_INFO_META]);
  const capabilities = asObject(meta[CLIENT_CAPABILITIES_META]) ?? {};
  return {
    protocolVersion,
    client,
    identity: JSON.stringify([client?.name ?? null, client?.version ?? null, capabilities]),
    traceId: traceIdOf(meta.traceparent),
  };
}

/** The client and requested version of an initialize request (MCP lifecycle, "Initialization"). */
export function initializeClaims(message: unknown): {
  client: Implementation | null;
  protocolVersion: string | null;
} {
  const params = asObject(asObject(message)?.params);
  return {
    client: implementation(params?.clientInfo),
    protocolVersion: stringOrNull(params?.protocolVersion),
  };
}

/**
 * The server a result names: `result._meta["io.modelcontextprotocol/serverInfo"]` (2026-07-28, on every
 * result and on `server/discover`), or `result.serverInfo` of an initialize answer.
 */
export function serverInfoOf(message: unknown): Implementation | null {
  const result = asObject(asObject(message)?.result);
  if (!result) return null;
  return implementation(asObject(result._meta)?.[SERVER_INFO_META]) ?? implementation(result.serverInfo);
}

/** The protocol version an initialize answer settled on. */
export function negotiatedVersionOf(message: unknown): string | null {
  return stringOrNull(asObject(asObject(message)?.result)?.protocolVersion);
}
