import type { JsonRpcId } from './errors.js';

/** What one captured record is. `stderr` and `other` cover traffic that is not JSON-RPC. */
export type MessageKind = 'request' | 'response' | 'notification' | 'error' | 'stderr' | 'other';
export const MESSAGE_KINDS: readonly MessageKind[] = [
  'request',
  'response',
  'notification',
  'error',
  'stderr',
  'other',
];

export type Direction = 'client_to_server' | 'server_to_client';

/** The parts of a JSON-RPC 2.0 message the gateway needs to file it. */
export interface MessageShape {
  kind: MessageKind;
  /** Present for requests, responses and errors; absent for notifications and non-JSON-RPC values. */
  id: JsonRpcId | undefined;
  method: string | null;
  errorCode: number | null;
  errorMessage: string | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is JsonRpcId {
  return typeof value === 'string' || typeof value === 'number' || value === null;
}

/**
 * Classifies a parsed JSON value as a JSON-RPC 2.0 message (JSON-RPC 2.0 sections 4 and 5). A value that
 * is not one is `other`: it is still recorded, as what it was.
 */
export function classifyMessage(value: unknown): MessageShape {
  const shape: MessageShape = {
    kind: 'other',
    id: undefined,
    method: null,
    errorCode: null,
    errorMessage: null,
  };
  if (!isObject(value) || value.jsonrpc !== '2.0') return shape;
  if (typeof value.method === 'string') {
    shape.method = value.method;
    if ('id' in value && isId(value.id)) {
      shape.kind = 'request';
      shape.id = value.id;
    } else {
      shape.kind = 'notification';
    }
    return shape;
  }
  if ('id' in value && isId(value.id)) {
    if (isObject(value.error)) {
      shape.kind = 'error';
      shape.id = value.id;
      shape.errorCode = typeof value.error.code === 'number' ? value.error.code : null;
      shape.errorMessage = typeof value.error.message === 'string' ? value.error.message : null;
      return shape;
    }
    if ('result' in value) {
      shape.kind = 'response';
      shape.id = value.id;
    }
  }
  return shape;
}

export type ParsedBody =
  | { ok: true; value: unknown; isBatch: boolean; messages: unknown[] }
  | { ok: false; error: string };

/** Parses a body that should hold one JSON-RPC message or a batch (JSON-RPC 2.0 section 6). */
export function parseJsonBody(text: string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (Array.isArray(value)) return { ok: true, value, isBatch: true, messages: value };
  return { ok: true, value, isBatch: false, messages: [value] };
}

/** A stable key for a JSON-RPC id, so that 1 and "1" stay different requests. */
export function idKey(id: JsonRpcId): string {
  return typeof id === 'string' ? `s:${id}` : `n:${String(id)}`;
}

/** The id of the single request in a body, for echoing in an error; null for batches and notifications. */
export function singleRequestId(parsed: ParsedBody): JsonRpcId {
  if (!parsed.ok || parsed.isBatch) return null;
  const shape = classifyMessage(parsed.value);
  return shape.kind === 'request' && shape.id !== undefined ? shape.id : null;
}

/**
 * Parses stored message text when it holds a JSON object or array; undefined for anything else (plain
 * text, HTML, a scalar) or for text that does not parse. Scalars are not worth parsing: they are shown
 * and searched as the text that arrived.
 */
export function parseJsonContainer(text: string): unknown {
  const first = text.charCodeAt(0);
  if (first !== 123 && first !== 91) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
