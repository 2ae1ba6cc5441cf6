import type { JSONRPCMessage, ProgressToken, RequestId } from '@modelcontextprotocol/sdk/types.js';

/**
 * Small helpers to read and rewrite JSON-RPC messages (JSON-RPC 2.0 sections 4 and 5). Rewrites copy only
 * the objects on the path they change: the rest of a message is shared, never cloned.
 */

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
}

export function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' || typeof value === 'number';
}

export function withId<T extends JsonObject>(message: T, id: RequestId): T {
  return { ...message, id };
}

/** The progress token a request asked for (MCP utilities, progress: `params._meta.progressToken`). */
export function progressTokenOf(message: JsonObject): ProgressToken | undefined {
  const token = asObject(asObject(message.params)?._meta)?.progressToken;
  return isRequestId(token) ? token : undefined;
}

export function withProgressToken<T extends JsonObject>(message: T, token: ProgressToken): T {
  const params = asObject(message.params) ?? {};
  const meta = asObject(params._meta) ?? {};
  return { ...message, params: { ...params, _meta: { ...meta, progressToken: token } } };
}

/** A copy of `message` with `params[key]` replaced. */
export function withParam<T extends JsonObject>(message: T, key: string, value: unknown): T {
  return { ...message, params: { ...(asObject(message.params) ?? {}), [key]: value } };
}

export function param(message: JsonObject, key: string): unknown {
  return asObject(message.params)?.[key];
}

export function errorResponse(id: RequestId, code: number, message: string, data?: unknown): JSONRPCMessage {
  const error: { code: number; message: string; data?: unknown } = { code, message };
  if (data !== undefined) error.data = data;
  return { jsonrpc: '2.0', id, error };
}

export function notification(method: string, params?: JsonObject): JSONRPCMessage {
  return params ? { jsonrpc: '2.0', method, params } : { jsonrpc: '2.0', method };
}
