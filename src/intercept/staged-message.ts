import type { JsonRpcId } from '../core/errors.js';
import type { Direction, MessageShape } from '../core/jsonrpc.js';
import { classifyMessage } from '../core/jsonrpc.js';
import type { TransportDetail } from '../core/record.js';
import { summarizeMessage } from '../core/summary.js';
import { carriesTokens, estimateTokens } from '../core/tokens.js';
import type { MatchFacts } from '../filter/match.js';

/** One JSON-RPC message at a choke point, with what the gateway knows of it there. */
export interface StagedMessage {
  server: string;
  direction: Direction;
  sessionId: string | null;
  clientName: string | null;
  protocolVersion: string | null;
  transport: TransportDetail;
  httpStatus: number | null;
  userAgent: string | null;
  /** The message exactly as its sender wrote it. */
  text: string;
  /** The message parsed. */
  value: unknown;
  shape: MessageShape;
  /** For a response: the method of the request it answers, when the choke point knows it. */
  answers: string | null;
  /** Aborted when the message can no longer go anywhere (its client went away): a hold on it ends. */
  signal?: AbortSignal;
}

export interface StageContext {
  server: string;
  direction: Direction;
  sessionId: string | null;
  transport: TransportDetail;
  clientName?: string | null;
  protocolVersion?: string | null;
  httpStatus?: number | null;
  userAgent?: string | null;
  answers?: string | null;
}

export function stagedMessage(context: StageContext, text: string, value: unknown): StagedMessage {
  return {
    server: context.server,
    direction: context.direction,
    sessionId: context.sessionId,
    clientName: context.clientName ?? clientNameOf(value),
    protocolVersion: context.protocolVersion ?? null,
    transport: context.transport,
    httpStatus: context.httpStatus ?? null,
    userAgent: context.userAgent ?? null,
    text,
    value,
    shape: classifyMessage(value),
    answers: context.answers ?? null,
  };
}

/** MCP 2026-07-28 carries clientInfo in each request's `_meta`; initialize in its params. */
function clientNameOf(value: unknown): string | null {
  const params = (value as { params?: Record<string, unknown> } | null)?.params;
  const info =
    (params?.clientInfo as { name?: unknown } | undefined) ??
    ((params?._meta as Record<string, unknown> | undefined)?.['io.modelcontextprotocol/clientInfo'] as
      | { name?: unknown }
      | undefined);
  return typeof info?.name === 'string' ? info.name : null;
}

/** The id a message carries, for the answers the gateway writes in its place. */
export function idOf(message: StagedMessage): JsonRpcId {
  return message.shape.id ?? null;
}

/** The filter language's facts about a message in flight (filter/match.ts). */
export function factsOf(message: StagedMessage): MatchFacts {
  const { shape } = message;
  const method = shape.method ?? message.answers;
  const carries = carriesTokens(method) && shape.kind !== 'error';
  return {
    server: message.server,
    direction: message.direction,
    kind: shape.kind,
    method,
    jsonrpcId: shape.id,
    sessionId: message.sessionId,
    clientName: message.clientName,
    protocolVersion: message.protocolVersion,
    transport: message.transport,
    httpStatus: message.httpStatus,
    errorCode: shape.errorCode,
    errorMessage: shape.errorMessage ?? toolErrorText(message),
    size: Buffer.byteLength(message.text),
    summary: summarizeMessage(shape, message.value, method),
    note: null,
    userAgent: message.userAgent,
    tokens: carries ? estimateTokens(message.text) : null,
    truncated: false,
    message: message.text,
    value: message.value,
  };
}

/** A tool result with isError counts as an error (MCP "Tools: Error Handling"), as capture files it. */
function toolErrorText(message: StagedMessage): string | null {
  if (message.shape.kind !== 'response' || message.answers !== 'tools/call') return null;
  const result = (message.value as { result?: { isError?: unknown; content?: unknown } }).result;
  if (result?.isError !== true) return null;
  const texts = Array.isArray(result.content)
    ? result.content.map((c) => (c as { text?: unknown } | null)?.text).filter((t) => typeof t === 'string')
    : [];
  return texts.join(' ').trim() || 'tool reported an error (isError) without text';
}
