import type { GatewayError } from '../core/errors.js';

/** A client's request to a proxied server, as the gate sees it before anything is forwarded. */
export interface GateRequest {
  server: string;
  /** The client's remote address. */
  client: string;
  httpMethod: string;
  sessionId: string | null;
  /** A POST body's messages (one, or a batch's); null for GET and DELETE. */
  messages: readonly unknown[] | null;
  /**
   * A POST of the legacy HTTP+SSE transport (MCP 2024-11-05): its session is the client's SSE stream, not
   * an MCP session id, so only rates apply.
   */
  legacy?: boolean;
}

/** Lets the gate hear the HTTP status the client was answered with, once the answer is complete. */
export type OnAnswer = (listener: (status: number) => void) => void;

/**
 * What the proxy asks before it forwards a client's request (rate limits and session caps live in
 * src/limits). It runs on the hot path of both HTTP and stdio servers, so it must be cheap, and nearly
 * free when nothing is limited.
 */
export interface ProxyGate {
  /**
   * A refusal to answer the client with (it is captured like any answer), or null to forward. Through
   * `onAnswer` the gate may ask for the status of the answer (a session the server ended, an `initialize`
   * that opened nothing).
   */
  admit(request: GateRequest, onAnswer: OnAnswer): GatewayError | null;
  /** True when the server has rate limits: callers that would parse a body only for the gate ask first. */
  limits(server: string): boolean;
}
