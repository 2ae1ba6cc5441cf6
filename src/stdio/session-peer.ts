import type { ClientCapabilities, JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { UpstreamLeg } from '../core/capture-events.js';

/** A client session as the router sees it: where its server-to-client messages go. */
export interface SessionPeer {
  /** The gateway-minted MCP session id. */
  readonly id: string;
  /** What the client declared in initialize; shared mode only sends a client requests it can answer. */
  clientCapabilities: ClientCapabilities | null;
  /** When the client last sent a message (epoch ms). */
  lastActive: number;
  /**
   * Sends a message to the client and records it as this session saw it. `related` is the client request
   * it belongs to, so that it travels on that request's SSE stream (MCP Streamable HTTP, "Sending Messages
   * to the Server"); without it, it goes on the session's GET stream. `note` marks a message the gateway
   * wrote itself. `leg`, on the server's answer to a client's request: when that request went to the
   * server and when the answer came back, for the record's timing.
   */
  deliver(
    message: JSONRPCMessage,
    text: string,
    related: RequestId | undefined,
    note?: string,
    leg?: UpstreamLeg,
  ): void;
}

/**
 * A client the backends serve: an MCP 2025 session (http-session.ts), or a 2026-07-28 client's
 * conversation (modern-conversation.ts), which has no session on the wire.
 */
export interface ClientSession extends SessionPeer {
  /** `modern`: MCP 2026-07-28, no initialize, each request carries its own `_meta`. */
  readonly era: 'legacy' | 'modern';
  readonly closed: boolean;
  endReason: string | null;
  close(reason?: string): void;
}
