/** What the initialize handshake told us about a session (MCP lifecycle, "Initialization"). */
export interface SessionFacts {
  clientName: string | null;
  clientVersion: string | null;
  serverName: string | null;
  serverVersion: string | null;
  protocolVersion: string | null;
  firstSeen: number;
}

/** A session's facts, with the server and session they belong to. */
export interface SessionInfo extends SessionFacts {
  server: string;
  sessionId: string;
}
