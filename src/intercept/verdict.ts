/**
 * What the message stage decides about one message in flight. Breakpoints and fault rules both answer
 * with one of these; the choke point (the HTTP proxy, a stdio session) carries it out the same way for
 * every rule, and capture records what the gateway did (`origin` on the record: edited or injected).
 */
export type Verdict = VerdictAction & {
  /** Why, for the records of what the gateway wrote in a party's place ("fault rule f2 (tool:echo)"). */
  note?: string;
};

type VerdictAction =
  /** Let it go on as it is. */
  | { action: 'pass'; delayMs?: number }
  /** Let it go on, changed: `message` replaces it (a JSON-RPC message). */
  | { action: 'edit'; message: unknown; delayMs?: number }
  /**
   * Answer its sender in the other party's place with `message` (a JSON-RPC response or error to a
   * request); the other party never sees it.
   */
  | { action: 'reply'; message: unknown; delayMs?: number }
  /**
   * Do not deliver it. A request's sender gets a JSON-RPC error saying the gateway dropped it (`reason`
   * adds why); a response or notification simply never arrives.
   */
  | { action: 'drop'; reason?: string; delayMs?: number }
  /** Answer the client with this HTTP status (and `message` as the body, else a JSON-RPC error saying so). */
  | { action: 'status'; status: number; message?: unknown; delayMs?: number }
  /** Cut the connection (or the SSE stream) the message travels on. */
  | { action: 'cut'; delayMs?: number };

export const PASS: Verdict = { action: 'pass' };

/** The JSON-RPC error code of an answer the gateway gives in place of a message it dropped. */
export const DROPPED_CODE = -32001;

/** The error text a sender sees for a message the gateway dropped. */
export function droppedText(reason?: string): string {
  return `The gateway dropped this message${reason ? ` (${reason})` : ''}; it never reached the other side. A breakpoint or fault rule of the gateway (/api/intercepts, /api/faults) decided so.`;
}
