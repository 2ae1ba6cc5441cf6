/**
 * The run state of a registered server, as the API, the terminal and the UI show it. HTTP servers are
 * judged by health checks; stdio servers by their process.
 */
/** `misconfigured`: its mcp.json entry refers to an env var or secret that is not set; nothing was started. */
export type ServerState = 'starting' | 'running' | 'crashed' | 'stopped' | 'misconfigured' | 'unknown';

export interface ServerStatus {
  state: ServerState;
  /** When the state last changed (epoch ms). */
  since: number;
  pid?: number;
  exitCode?: number | null;
  signal?: string | null;
  restarts?: number;
  /** What went wrong last, in a sentence a user can act on. */
  lastError?: string | null;
  /**
   * Stdio servers: the protocol the process speaks, learned from the handshake it accepted, e.g.
   * "MCP 2025-11-25" or "MCP 2026-07-28 only: it refused initialize (…)".
   */
  protocol?: string | null;
  /** Open client sessions (stdio servers). */
  sessions?: number;
  /** When an automatic restart is due (epoch ms), while a crashed server waits for it. */
  restartAt?: number | null;
  /** Stdio servers: processes running now. */
  processes?: number;
  /**
   * Shared stdio servers: one process per set of client capabilities, and one per session for clients
   * that declare roots; what each serves.
   */
  profiles?: ProcessProfile[];
}

/** One process of a shared stdio server and the sessions it serves. */
export interface ProcessProfile {
  /** What its sessions' clients declared in initialize (the gateway declares the same to the server). */
  capabilities: Record<string, unknown>;
  /** A process of its own for one session (its client declared roots). */
  perSession: boolean;
  state: ServerState;
  pid?: number;
  sessions: number;
}

/** Something that knows the run state of (some) servers; the app asks each provider in turn. */
export type ServerStatusProvider = (name: string) => ServerStatus | undefined;
