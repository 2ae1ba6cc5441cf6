/**
 * The one error type the gateway raises on purpose. Everything else that escapes a handler is a bug,
 * logged and answered with a 500.
 *
 * `status` is the HTTP status the client sees; `rpcCode` the JSON-RPC error code used when the client
 * spoke JSON-RPC. The message always says what happened and what to do about it.
 */
export class GatewayError extends Error {
  readonly status: number;
  readonly rpcCode: number;
  readonly headers: Record<string, string>;
  /** Machine-readable facts a REST answer carries beside `error` (e.g. `{session: 'ended'}`). */
  readonly details: Record<string, string | number | boolean>;
  /** The JSON-RPC error's `data` (JSON-RPC 2.0 section 5.1), when the client can act on more than the text. */
  readonly data: unknown;

  constructor(
    status: number,
    message: string,
    options: {
      rpcCode?: number;
      headers?: Record<string, string>;
      details?: Record<string, string | number | boolean>;
      data?: unknown;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'GatewayError';
    this.status = status;
    this.rpcCode = options.rpcCode ?? rpcCodeForStatus(status);
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
    this.data = options.data;
  }
}

/** JSON-RPC 2.0 section 5.1 reserves -32768..-32000; -32000..-32099 are "server error" codes we use. */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** The gateway could not deliver the message (upstream down, timed out, or refused by the gateway). */
  GatewayFailure: -32000,
  /** A request that will never be answered because the session or server ended. */
  ConnectionClosed: -32001,
} as const;

function rpcCodeForStatus(status: number): number {
  if (status === 400) return RpcErrorCode.InvalidRequest;
  return RpcErrorCode.GatewayFailure;
}

export type JsonRpcId = string | number | null;

/** The body of a JSON-RPC error response (JSON-RPC 2.0 section 5). */
export function jsonRpcErrorBody(id: JsonRpcId, code: number, message: string, data?: unknown): string {
  const error: { code: number; message: string; data?: unknown } = { code, message };
  if (data !== undefined) error.data = data;
  return JSON.stringify({ jsonrpc: '2.0', id, error });
}
