import type { JsonRpcId } from '../core/errors.js';
import { DROPPED_CODE, droppedText } from './verdict.js';

/**
 * JSON-RPC messages the gateway writes in a party's place (JSON-RPC 2.0 section 5): an answer a person
 * crafted, with the id of the request it answers whatever id the person typed, and the error a sender gets
 * for a request the gateway dropped.
 */

export function answerTo(id: JsonRpcId, crafted: unknown): Record<string, unknown> {
  const object =
    typeof crafted === 'object' && crafted !== null && !Array.isArray(crafted)
      ? (crafted as Record<string, unknown>)
      : { result: crafted };
  const body = 'result' in object || 'error' in object ? object : { result: object };
  return { ...body, jsonrpc: '2.0', id };
}

export function droppedAnswer(id: JsonRpcId, reason?: string): Record<string, unknown> {
  return { jsonrpc: '2.0', id, error: { code: DROPPED_CODE, message: droppedText(reason) } };
}

/** The error body of an HTTP status a fault rule answers with, when the rule gave none. */
export function statusAnswer(id: JsonRpcId, status: number): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: -32000,
      message: `The gateway answered with HTTP ${status} in the server's place (a fault rule, /api/faults).`,
    },
  };
}
