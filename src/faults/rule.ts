import type { Direction } from '../core/jsonrpc.js';

/** How a fault rule cuts: the client's whole connection, or only the SSE stream carrying the answer. */
export type CutKind = 'connection' | 'stream';

/** A JSON-RPC error the gateway answers in the other party's place (JSON-RPC 2.0 section 5.1). */
export interface InjectedError {
  code: number;
  message: string;
}

/**
 * What a fault rule does to a matching message, as `POST /api/faults` takes it. `delayMs` may come with
 * any one answer (an error, an HTTP status, a cut); an HTTP status may carry an error as its body.
 */
export interface FaultAction {
  delayMs?: number;
  error?: InjectedError;
  httpStatus?: number;
  cut?: CutKind;
}

/** A rule as the gateway keeps it and the REST API and MCP tools show it. */
export interface FaultRule extends FaultAction {
  id: string;
  /** The filter language's text (`method:tools/call tool:echo`), as given. */
  filter: string;
  /** Only messages going this way; null matches both. */
  direction: Direction | null;
  /** Chance (0..1) that a matching message is hit; each match draws once. */
  probability: number;
  /** The servers the rule may touch: its author's token scope, or null for all. */
  servers: readonly string[] | null;
  /** Who added it (the audit log's actor). */
  createdBy: string;
  /** When it was added (ISO 8601). */
  createdAt: string;
  /** Matching messages it hit so far (after the probability draw). */
  fired: number;
}

/** A one-line account of a rule's action, for the audit log, tool results and the UI. */
export function describeAction(rule: FaultAction & { probability?: number }): string {
  const parts: string[] = [];
  if (rule.delayMs !== undefined) parts.push(`delay ${rule.delayMs} ms`);
  const error = rule.error ? `JSON-RPC error ${rule.error.code} "${rule.error.message}"` : null;
  if (rule.httpStatus !== undefined) parts.push(`HTTP ${rule.httpStatus}${error ? ` with ${error}` : ''}`);
  else if (error) parts.push(error);
  if (rule.cut) parts.push(rule.cut === 'stream' ? 'cut the SSE stream' : 'cut the connection');
  const what = parts.join(', then ');
  const probability = rule.probability ?? 1;
  return probability < 1 ? `${what} (probability ${probability})` : what;
}
