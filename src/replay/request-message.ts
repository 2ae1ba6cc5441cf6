import { GatewayError } from '../core/errors.js';
import type { CapturedRecord } from '../core/record.js';

/** A JSON-RPC request as the replay sends it. */
export interface RequestMessage {
  jsonrpc: '2.0';
  id: string | number;
  method: string;
  params?: Record<string, unknown> | unknown[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The original record's request, or a 400 saying why this record cannot be replayed. */
export function originalRequest(record: CapturedRecord): RequestMessage {
  if (record.direction !== 'client_to_server' || record.kind !== 'request') {
    const what =
      record.direction === 'client_to_server' ? `a ${record.kind}` : `a server→client ${record.kind}`;
    throw new GatewayError(
      400,
      `Record ${record.id} is ${what}; only a client's request (client→server, with a method and an id) can be replayed. Open the request this record belongs to and replay that.`,
    );
  }
  if (record.truncated) {
    throw new GatewayError(
      400,
      `Record ${record.id} was captured truncated (over the capture size limit), so it cannot be sent again as it was. Send the full request yourself with {"message": …}.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(record.message);
  } catch {
    throw new GatewayError(400, `Record ${record.id} is not JSON, so it cannot be replayed.`);
  }
  if (requestProblem(value) !== null) {
    throw new GatewayError(400, `Record ${record.id} is not a JSON-RPC request, so it cannot be replayed.`);
  }
  return value as RequestMessage;
}

/** What is wrong with `value` as a JSON-RPC 2.0 request (section 4), or null. */
export function requestProblem(value: unknown): string | null {
  if (!isObject(value)) return 'it must be a JSON object (one JSON-RPC request, not a batch)';
  if (value.jsonrpc !== '2.0') return '"jsonrpc" must be "2.0"';
  if (typeof value.method !== 'string' || value.method === '') return '"method" must be a non-empty string';
  if (value.id !== undefined && typeof value.id !== 'string' && typeof value.id !== 'number') {
    return '"id" must be a string or a number';
  }
  if (value.params !== undefined && typeof value.params !== 'object')
    return '"params" must be an object or an array';
  if (value.params === null) return '"params" must be an object or an array';
  if ('result' in value || 'error' in value) return 'a request has no "result" or "error"';
  return null;
}

/**
 * The request to send: the original, or the person's edit of it. An edit keeps the original's id (it is
 * what links the answer to its request in both sessions); one without an id gets it.
 */
export function editedRequest(original: RequestMessage, edited: unknown): RequestMessage {
  if (edited === undefined) return original;
  const problem = requestProblem(edited);
  if (problem) {
    throw new GatewayError(
      400,
      `The edited message is not a valid JSON-RPC request: ${problem}. Fix it and send again.`,
    );
  }
  const message = edited as RequestMessage;
  if (message.id === undefined) return { ...message, id: original.id };
  if (message.id !== original.id) {
    throw new GatewayError(
      400,
      `The edited message's id ${JSON.stringify(message.id)} differs from the original's ${JSON.stringify(original.id)}. Keep the original id (or leave "id" out) so the answer can be compared.`,
    );
  }
  return message;
}
