import type { InitializeResult } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitationOwners } from './elicitation-owners.js';
import type { PendingRequest, RequestTable } from './request-table.js';
import type { ServerRequests } from './server-requests.js';
import type { SessionPeer } from './session-peer.js';
import type { SharedState } from './shared-state.js';
import type { StdioCapture } from './stdio-capture.js';
import type { TaskOwners } from './task-owners.js';

/** Why a request cannot be answered, as the JSON-RPC error the client receives. */
export interface Failure {
  message: string;
  data?: Record<string, unknown>;
}

export interface RouterOptions {
  /** Shared mode multiplexes many sessions over one process; isolated mode passes one session through. */
  shared: boolean;
  capture: StdioCapture;
  requestTimeoutMs: number;
  /** Writes one line to the process; false when it cannot take messages now. */
  write(line: string): boolean;
  /** Why the process cannot take messages now. */
  unavailable(): Failure;
  /** Isolated mode: the process answered its session's initialize with an error (it will not serve it). */
  initializeRefused?(): void;
}

/** The note on messages the gateway writes itself. */
export const GENERATED = 'answered by the gateway';

/** What both directions of a router share: the sessions, the requests in flight, what sessions asked for. */
export interface RouteContext {
  readonly options: RouterOptions;
  readonly sessions: Set<SessionPeer>;
  readonly pending: RequestTable;
  readonly serverRequests: ServerRequests;
  readonly state: SharedState;
  /** Shared mode: which session each task belongs to. */
  readonly tasks: TaskOwners;
  /** Shared mode: which session each URL elicitation was asked of. */
  readonly elicitations: ElicitationOwners;
  /** Shared mode: the server's answer to the gateway's own initialize, given to every session. */
  initResult: InitializeResult | null;
  /** Next id for a request forwarded in shared mode, and the order requests were sent in. */
  nextId: number;
  sequence: number;
  /** The session whose timeline holds server-level lines: none in shared mode, the only one in isolated. */
  captureSession(): string | null;
  /** Answers a client's request with an error the gateway writes (crash, timeout, unavailable). */
  answerWithError(request: PendingRequest, failure: Failure): void;
  /** MCP utilities, cancellation: the sender tells the receiver it no longer wants the answer. */
  cancelUpstream(request: PendingRequest, reason: string): void;
}
