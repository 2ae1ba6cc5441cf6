import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';

interface Session {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  lastActive: number;
}

export interface SessionLimits {
  /** A session with no request for this long is ended (the client starts a new one on 404). */
  idleMs: number;
  /** Most sessions kept at once; a newcomer ends the least recently active. */
  max: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60 * 1000, max: 64 };

/**
 * Sessions of the management MCP server (MCP 2025-11-25, "Streamable HTTP: Session Management"). A
 * session is what lets the gateway ask the client something mid-call (elicitation before it starts a
 * program), so a client gets one when it sends `initialize`. Memory stays bounded: sessions end when idle
 * and the oldest ends when there are too many.
 */
export class ManagementSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #limits: SessionLimits;
  readonly #sweep: NodeJS.Timeout;

  constructor(limits: SessionLimits = DEFAULT_SESSION_LIMITS) {
    this.#limits = limits;
    this.#sweep = setInterval(() => this.#expire(), Math.min(limits.idleMs, 60_000));
    this.#sweep.unref();
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** The session a request names; its clock restarts. */
  get(id: string): WebStandardStreamableHTTPServerTransport | undefined {
    const session = this.#sessions.get(id);
    if (session) session.lastActive = Date.now();
    return session?.transport;
  }

  /**
   * A transport for a new session, kept once `initialize` succeeds. Responses are SSE when the client can
   * be asked something (a request related to a call can only travel on that call's stream); JSON
   * otherwise, as before sessions existed.
   */
  async open(server: McpServer, sse: boolean): Promise<WebStandardStreamableHTTPServerTransport> {
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: !sse,
      onsessioninitialized: (id) => {
        this.#makeRoom();
        this.#sessions.set(id, { server, transport, lastActive: Date.now() });
      },
      onsessionclosed: (id) => this.#end(id),
    });
    transport.onclose = () => {
      if (transport.sessionId) this.#sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport;
  }

  #makeRoom(): void {
    while (this.#sessions.size >= this.#limits.max) {
      let oldest: [string, Session] | undefined;
      for (const entry of this.#sessions)
        if (!oldest || entry[1].lastActive < oldest[1].lastActive) oldest = entry;
      if (!oldest) return;
      this.#end(oldest[0]);
    }
  }

  #expire(): void {
    const cutoff = Date.now() - this.#limits.idleMs;
    for (const [id, session] of this.#sessions) if (session.lastActive < cutoff) this.#end(id);
  }

  #end(id: string): void {
    const session = this.#sessions.get(id);
    if (!session) return;
    this.#sessions.delete(id);
    void session.server.close();
  }

  closeAll(): void {
    clearInterval(this.#sweep);
    for (const id of [...this.#sessions.keys()]) this.#end(id);
  }
}
