import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '../core/errors.js';
import type { ServerStatus } from '../core/server-status.js';
import { describeExit } from './child-problems.js';
import type { ChildExit, SpawnFunction, StdioChild } from './child-process.js';
import { checkCommandHint, crashFailure, notRunningFailure } from './failures.js';
import type { SessionBackend } from './http-endpoint.js';
import { Router } from './router.js';
import { startServerProcess } from './server-process.js';
import type { ClientSession } from './session-peer.js';
import type { StatusTracker } from './status-tracker.js';
import { StderrRing } from './stderr-ring.js';
import type { StdioCapture } from './stdio-capture.js';
import { type ResolvedStdioConfig, STDIO_LIMITS } from './stdio-config.js';

export interface IsolatedServerOptions {
  config: ResolvedStdioConfig;
  capture: StdioCapture;
  status: StatusTracker;
  /** Where stderr lines go; the processes of one server share one ring (each line names its pid). */
  stderr?: StderrRing;
  /** Shared mode's dedicated processes: how they are named in notes and errors. */
  purpose?: string;
  spawn?: SpawnFunction;
}

/** A session and its process, as status shows them. */
export interface SessionProcessInfo {
  session: ClientSession;
  pid: number | undefined;
}

interface SessionProcess {
  child: StdioChild;
  router: Router;
  /** Set when the gateway ends the process on purpose. */
  stopping: boolean;
}

/**
 * One process per MCP session ("isolated" mode): started by the session's initialize, which it answers
 * itself, and ended with the session (DELETE, idle timeout, shutdown). Messages pass through unchanged.
 * A process that exits ends its session: the client gets 404 and starts a new one, as MCP Streamable
 * HTTP ("Session Management") requires, and its new session gets a fresh process.
 */
export class IsolatedServer implements SessionBackend {
  readonly stderr: StderrRing;
  readonly #options: IsolatedServerOptions;
  readonly #processes = new Map<ClientSession, SessionProcess>();
  /** Processes started for a session and not running yet: they count against maxProcesses too. */
  #starting = 0;

  constructor(options: IsolatedServerOptions) {
    this.#options = options;
    this.stderr = options.stderr ?? new StderrRing(STDIO_LIMITS.stderrRingLines);
  }

  get #name(): string {
    return this.#options.config.name;
  }

  status(): ServerStatus {
    return { ...this.#options.status.current, sessions: this.#processes.size, processes: this.serving };
  }

  /** The processes serving sessions now or starting for one (not those on their way out). */
  get serving(): number {
    return this.running().length + this.#starting;
  }

  running(): SessionProcessInfo[] {
    return [...this.#processes]
      .filter(([, entry]) => !entry.stopping)
      .map(([session, entry]) => ({ session, pid: entry.child.pid }));
  }

  async open(session: ClientSession): Promise<void> {
    const { config, capture, status } = this.#options;
    const serving = this.serving;
    if (serving >= config.maxProcesses && !this.evictIdle()) {
      throw new GatewayError(
        503,
        `stdio server "${this.#name}" already runs ${serving} processes, its limit ("maxProcesses" in mcp.json; ${this.#options.purpose ?? 'isolated mode runs one per session'}), and every one of them is answering a request. Retry when one is done, end sessions you no longer use (DELETE), or raise maxProcesses.`,
      );
    }
    const router = new Router({
      shared: false,
      capture,
      requestTimeoutMs: config.requestTimeoutMs,
      // A process whose stdin just closed is about to report its exit, which fails the request with the reason.
      write: (line) => entry.child.write(line) || entry.child.running,
      unavailable: () => notRunningFailure(this.#name, 'the process of this session has exited', null, []),
      initializeRefused: () => {
        capture.note(
          session.id,
          "the server refused this session's initialize; the session and its process end",
        );
        session.close('its server refused initialize');
      },
    });
    const entry: SessionProcess = {
      child: startServerProcess({
        config,
        capture,
        stderr: this.stderr,
        router,
        sessionId: session.id,
        onExit: (_child, exit) => this.#exited(session, entry, exit),
        spawn: this.#options.spawn,
      }),
      router,
      stopping: false,
    };
    this.#starting++;
    try {
      await entry.child.started();
    } catch (error) {
      status.set(this.#processes.size > 0 ? 'running' : 'crashed', { lastError: (error as Error).message });
      throw new GatewayError(
        502,
        `stdio server "${this.#name}" could not start: ${(error as Error).message}`,
      );
    } finally {
      this.#starting--;
    }
    router.attach(session);
    this.#processes.set(session, entry);
    capture.note(session.id, `process ${entry.child.pid ?? '?'} started for this session`);
    status.set('running', { pid: entry.child.pid, lastError: null });
  }

  message(session: ClientSession, message: JSONRPCMessage, text: string): void {
    this.#processes.get(session)?.router.fromClient(session, message, text);
  }

  inFlight(session: ClientSession): number {
    return this.#processes.get(session)?.router.inFlight ?? 0;
  }

  /** The session ended: its process is shut down the MCP way (stdin closed, then signals). */
  closed(session: ClientSession): void {
    const entry = this.#processes.get(session);
    if (!entry || entry.stopping) return;
    entry.stopping = true;
    entry.router.detach(session);
    void entry.child.stop();
  }

  /**
   * At maxProcesses, a newcomer takes the place of the least recently active idle session (nothing in
   * flight): that session ends, and its client gets 404 and initializes again (MCP Streamable HTTP,
   * "Session Management"). False when every session is busy.
   */
  evictIdle(): boolean {
    let oldest: ClientSession | undefined;
    for (const [session, entry] of this.#processes) {
      if (entry.stopping || entry.router.inFlight > 0) continue;
      if (!oldest || session.lastActive < oldest.lastActive) oldest = session;
    }
    if (!oldest) return false;
    const why = `it was the least recently active idle session when a new session needed a process and "${this.#name}" already ran maxProcesses (${this.#options.config.maxProcesses})`;
    this.#options.capture.note(oldest.id, `session ended: ${why}`);
    this.closed(oldest);
    oldest.close(why);
    return true;
  }

  /** Ends every session and its process (a restart on request of the server they belong to). */
  endAll(reason: string): void {
    for (const session of [...this.#processes.keys()]) session.close(reason);
  }

  #exited(session: ClientSession, entry: SessionProcess, exit: ChildExit): void {
    if (!this.#processes.delete(session)) return;
    const { capture, status } = this.#options;
    const lines = this.stderr.recentOf(entry.child.pid, STDIO_LIMITS.crashQuoteLines);
    if (entry.stopping) {
      capture.note(session.id, `process ${entry.child.pid ?? '?'} stopped with its session`);
    } else {
      // A process that never answered its initialize did not fail this session only: its command is wrong.
      const next = entry.router.initResult
        ? 'its session has ended, start a new one'
        : `it never answered initialize, so ${checkCommandHint(this.#name)}`;
      entry.router.fail(crashFailure(this.#name, exit, lines, next));
      capture.note(
        session.id,
        `process ${entry.child.pid ?? '?'} exited (${describeExit(exit)}); its session ends`,
      );
      session.close(`its process exited (${describeExit(exit)})`);
    }
    const crashed = !entry.stopping;
    const details = crashed
      ? {
          exitCode: exit.code,
          signal: exit.signal,
          lastError: `${describeExit(exit)}${lines.length > 0 ? `: ${lines[lines.length - 1]?.line}` : ''}`,
        }
      : {};
    if (this.#processes.size > 0) status.update(details);
    else status.set(crashed ? 'crashed' : 'stopped', { pid: undefined, ...details });
  }

  /** Ends every process (restart on request, shutdown); sessions are ended by the endpoint first. */
  async stop(): Promise<void> {
    const entries = [...this.#processes.values()];
    for (const entry of entries) entry.stopping = true;
    await Promise.all(entries.map((entry) => entry.child.stop()));
    this.#options.status.set('stopped', { pid: undefined });
  }
}
