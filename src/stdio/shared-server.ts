import type { ClientCapabilities, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '../core/errors.js';
import type { ServerStatus } from '../core/server-status.js';
import { Backoff } from './backoff.js';
import { describeExit } from './child-problems.js';
import type { ChildExit, SpawnFunction, StdioChild } from './child-process.js';
import { describeEra, modernOnlyError, refusedHandshakeError } from './era-errors.js';
import { checkCommandHint, crashFailure, notRunningFailure, seconds } from './failures.js';
import { HandshakeRefused, openProcess } from './handshake.js';
import type { SessionBackend } from './http-endpoint.js';
import { ReadyGate } from './ready-gate.js';
import { type Failure, Router } from './router.js';
import { startServerProcess } from './server-process.js';
import type { ClientSession } from './session-peer.js';
import type { StatusTracker } from './status-tracker.js';
import { StderrRing } from './stderr-ring.js';
import type { StdioCapture } from './stdio-capture.js';
import { type ResolvedStdioConfig, STDIO_LIMITS } from './stdio-config.js';

export interface SharedServerOptions {
  config: ResolvedStdioConfig;
  capture: StdioCapture;
  status: StatusTracker;
  /** What the gateway declares in its initialize: the capabilities of the sessions it serves. */
  capabilities: ClientCapabilities;
  /** Open the process with `server/discover` only: it serves MCP 2026-07-28 clients (see handshake.ts). */
  modernOnly?: boolean;
  /** Where stderr lines go; the processes of one server share one ring (each line names its pid). */
  stderr?: StderrRing;
  spawn?: SpawnFunction;
}

/** Lines waiting for a (re)starting process; beyond this, requests fail instead of queueing. */
const MAX_HELD_LINES = 10_000;

/**
 * The gateway as the one client of a long-lived stdio process shared by the sessions whose clients
 * declared the same capabilities ("shared" mode; shared-pool.ts decides which sessions come here).
 * It initializes the process itself (MCP lifecycle, "Initialization") and answers each session's
 * initialize with the server's real result; a crashed process is restarted with backoff, and the sessions
 * carry on: what they had subscribed to is subscribed again.
 */
export class SharedServer implements SessionBackend {
  readonly stderr: StderrRing;
  readonly #options: SharedServerOptions;
  readonly #router: Router;
  readonly #backoff = new Backoff();
  #child: StdioChild | null = null;
  #startedAt = 0;
  #held: string[] = [];
  #lastExit: ChildExit | null = null;
  #lastPid: number | undefined;
  #restartTimer: NodeJS.Timeout | null = null;
  #restartAt = 0;
  /** The current process completed its handshake; and whether the last one to exit had. */
  #serving = false;
  #lastServed = false;
  /**
   * Set by a crash, cleared once a process serves again (or on a restart by request). Meanwhile every
   * new session and request fails at once with the crash's reason; see #worthWaiting.
   */
  #crashed = false;
  /** Why the current process is being stopped on purpose (restart, shutdown), or null. */
  #stopReason: string | null = null;
  readonly #ready = new ReadyGate();
  #everRan = false;
  #handshakeError: string | null = null;
  /** The era the current process accepted in its handshake (null until it did). */
  #speaks: 'legacy' | 'modern' | null = null;
  #protocol: string | null = null;
  /** Why the last process refused every handshake: it is not restarted, as it would refuse again. */
  #refused: string | null = null;

  constructor(options: SharedServerOptions) {
    this.#options = options;
    this.stderr = options.stderr ?? new StderrRing(STDIO_LIMITS.stderrRingLines);
    const { config, capture } = options;
    this.#router = new Router({
      shared: true,
      capture,
      requestTimeoutMs: config.requestTimeoutMs,
      write: (line) => this.#write(line),
      unavailable: () => this.#unavailable(),
    });
  }

  get #name(): string {
    return this.#options.config.name;
  }

  status(): ServerStatus {
    return { ...this.#options.status.current, sessions: this.#router.sessions.size };
  }

  start(): void {
    if (this.#child) return;
    this.#cancelRestart();
    const { status, capture } = this.#options;
    this.#serving = false;
    status.set('starting', { pid: undefined, exitCode: null, signal: null });
    const child = startServerProcess({
      config: this.#options.config,
      capture,
      stderr: this.stderr,
      router: this.#router,
      sessionId: null,
      onExit: (c, exit) => this.#exited(c, exit),
      spawn: this.#options.spawn,
    });
    this.#child = child;
    this.#startedAt = Date.now();
    child.started().then(
      () => this.#handshake(child),
      () => {},
    );
  }

  async #handshake(child: StdioChild): Promise<void> {
    if (child !== this.#child) return;
    this.#options.status.update({ pid: child.pid });
    try {
      const opened = await openProcess(
        this.#router.serverRequests,
        (line) => child.write(line),
        this.#options.capabilities,
        this.#options.modernOnly ?? false,
      );
      if (child !== this.#child) return;
      this.#speaks = opened.era;
      this.#protocol = describeEra(opened);
      if (opened.era === 'legacy') this.#router.initResult = opened.result;
      else if (opened.initializeRefusal !== null) {
        this.#options.capture.note(null, `process ${child.pid ?? '?'} speaks ${this.#protocol}`);
      }
    } catch (error) {
      if (child !== this.#child) return;
      if (error instanceof HandshakeRefused) this.#refused = error.message;
      this.#handshakeError = `it failed to initialize: ${(error as Error).message}`;
      void child.stop();
      return;
    }
    const restarted = this.#everRan;
    this.#everRan = true;
    this.#serving = true;
    this.#crashed = false;
    this.#options.status.set('running', {
      pid: child.pid,
      lastError: null,
      restartAt: null,
      protocol: this.#protocol,
    });
    const held = this.#held;
    this.#held = [];
    for (const line of held) child.write(line);
    this.#ready.open();
    if (restarted) this.#afterRestart();
  }

  /** The era the running process speaks, once its handshake is done. */
  get speaks(): 'legacy' | 'modern' | null {
    return this.#serving ? this.#speaks : null;
  }

  /** Resolves once a starting process has done its handshake, or failed to (never rejects). */
  async settled(): Promise<void> {
    if (this.#options.status.state !== 'starting' || !this.#worthWaiting()) return;
    const { requestTimeoutMs } = this.#options.config;
    await this.#ready.wait(requestTimeoutMs, 'not ready').catch(() => {});
  }

  /** The sessions' subscriptions and log level are set up again, and they are told lists may differ. */
  #afterRestart(): void {
    this.#router.resync();
    const capabilities = this.#router.initResult?.capabilities ?? {};
    const changed = (['tools', 'prompts', 'resources'] as const).filter(
      (kind) => (capabilities[kind] as { listChanged?: boolean } | undefined)?.listChanged,
    );
    for (const session of this.#router.sessions) {
      // MCP 2026-07-28 clients learn of changes only through subscriptions/listen, which the server serves.
      if ((session as Partial<ClientSession>).era === 'modern') continue;
      for (const kind of changed) {
        const message: JSONRPCMessage = { jsonrpc: '2.0', method: `notifications/${kind}/list_changed` };
        session.deliver(
          message,
          JSON.stringify(message),
          undefined,
          'sent by the gateway: the server restarted',
        );
      }
    }
  }

  #write(line: string): boolean {
    const state = this.#options.status.state;
    // A process whose stdin just closed is about to report its exit, which fails the request with the reason.
    if (state === 'running' && this.#child) return this.#child.write(line) || this.#child.running;
    if (!this.#worthWaiting() || this.#held.length >= MAX_HELD_LINES) return false;
    this.#held.push(line);
    return true;
  }

  /**
   * Whether what arrives now may wait for the process: only for a start no crash preceded (the first one,
   * or a restart by request), which may legitimately take long (`npx` downloading). After a crash, new
   * sessions and requests fail at once with its exit code and stderr, saying when the restart comes:
   * retrying then is cheap for a client, while waiting would tie it to a start the gateway cannot bound
   * (a server in a crash loop takes its whole load time to die again, every time).
   */
  #worthWaiting(): boolean {
    return this.#options.status.state === 'starting' && !this.#crashed;
  }

  #exited(child: StdioChild, exit: ChildExit): void {
    if (child !== this.#child) return;
    this.#child = null;
    this.#held = [];
    this.#lastExit = exit;
    this.#lastServed = this.#serving;
    this.#serving = false;
    const { status, capture, config } = this.#options;
    this.#lastPid = child.pid;
    const lines = this.stderr.recentOf(child.pid, STDIO_LIMITS.crashQuoteLines);
    const stopReason = this.#stopReason;
    this.#stopReason = null;
    if (stopReason !== null) {
      capture.note(null, `process ${child.pid ?? '?'} stopped (${stopReason})`);
      this.#router.fail({
        message: `stdio server "${this.#name}" was ${stopReason} before answering; retry the request.`,
      });
      status.set('stopped', { pid: undefined, exitCode: exit.code, signal: exit.signal });
      return;
    }
    this.#crashed = true;
    const refused = this.#refused;
    if (refused !== null) {
      // Refused handshakes would be refused again: no restart loop, the reason stands until a fix.
      this.#handshakeError = null;
      const error = refusedHandshakeError(this.#name, refused);
      this.#router.fail({ message: error.message });
      this.#ready.fail(error);
      capture.note(null, `process ${child.pid ?? '?'} stopped: ${refused}; it is not restarted`);
      status.set('crashed', {
        pid: undefined,
        exitCode: exit.code,
        signal: exit.signal,
        lastError: refused,
        restartAt: null,
      });
      return;
    }
    // A command that cannot start will not start on the next try either; it waits for a fix and a restart.
    const retry = config.restart && exit.error === null;
    const delay = retry ? this.#backoff.next(Date.now() - this.#startedAt) : 0;
    const next = !retry
      ? this.#fixHint()
      : this.#lastServed
        ? `it restarts in ${seconds(delay)}, then retry the request`
        : `it exited while starting and will likely do so again (the gateway retries in ${seconds(delay)}): ${checkCommandHint(this.#name)}`;
    const failure = crashFailure(this.#name, exit, lines, next);
    this.#router.fail(failure);
    // Sessions waiting to open learn it now too, not when their wait times out (MCP lifecycle: the
    // initialize request is a request like any other, and the process that was to answer it is gone).
    this.#ready.fail(new GatewayError(502, failure.message));
    const lastError =
      exit.error ??
      this.#handshakeError ??
      `${describeExit(exit)}${lines.length > 0 ? `: ${lines[lines.length - 1]?.line}` : ''}`;
    this.#handshakeError = null;
    capture.note(
      null,
      `process ${child.pid ?? '?'} crashed (${describeExit(exit)})${retry ? `; restarting in ${seconds(delay)}` : ''}`,
    );
    if (retry) {
      this.#restartAt = Date.now() + delay;
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = null;
        this.#options.status.update({ restarts: (this.#options.status.current.restarts ?? 0) + 1 });
        this.start();
      }, delay);
      this.#restartTimer.unref();
    }
    status.set('crashed', {
      pid: undefined,
      exitCode: exit.code,
      signal: exit.signal,
      lastError,
      restartAt: retry ? Date.now() + delay : null,
    });
  }

  #fixHint(): string {
    return this.#options.config.restart
      ? `fix the command in mcp.json, then POST /api/servers/${this.#name}/restart`
      : `restart it with POST /api/servers/${this.#name}/restart (or set "restart": true in mcp.json)`;
  }

  #unavailable(): Failure {
    const state = this.#options.status.state;
    if (state === 'stopped')
      return {
        message: `stdio server "${this.#name}" is stopped. Start it with POST /api/servers/${this.#name}/restart.`,
      };
    const exit = this.#lastExit;
    const next = this.#restartTimer
      ? this.#restartHint()
      : state === 'starting'
        ? `it is starting again; retry in a moment, and if it keeps exiting, ${checkCommandHint(this.#name)}`
        : this.#fixHint();
    const why = exit
      ? `it ${exit.error ? 'could not start' : this.#lastServed ? 'crashed' : 'exited while starting'} (${describeExit(exit)}); ${next}`
      : 'it is starting';
    const lines = this.stderr.recentOf(this.#lastPid, STDIO_LIMITS.crashQuoteLines);
    return notRunningFailure(this.#name, why, exit, lines);
  }

  #restartHint(): string {
    const left = Math.max(0, this.#restartAt - Date.now());
    return `it restarts in ${seconds(left)}; retry then, and if it keeps exiting, ${checkCommandHint(this.#name)}`;
  }

  #rejectWaiters(): void {
    this.#ready.fail(new GatewayError(502, this.#unavailable().message));
  }

  #cancelRestart(): void {
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
  }

  /** A request to a session cannot be served now, nor soon: refused up front with 502 and the reason. */
  refusal(): GatewayError | null {
    if (this.#refused !== null) return refusedHandshakeError(this.#name, this.#refused);
    if (this.#options.status.state === 'running' || this.#worthWaiting()) return null;
    return new GatewayError(502, this.#unavailable().message);
  }

  // ---- SessionBackend ----------------------------------------------------------------------------

  /** A new session waits for a process that is starting; after a crash it is refused at once (502). */
  async open(session: ClientSession): Promise<void> {
    const refusal = this.#refused === null ? null : this.refusal();
    if (refusal) throw refusal;
    const state = this.#options.status.state;
    if (state !== 'running') {
      if (!this.#worthWaiting()) throw new GatewayError(502, this.#unavailable().message);
      const { requestTimeoutMs } = this.#options.config;
      await this.#ready.wait(
        requestTimeoutMs,
        `stdio server "${this.#name}" did not become ready within ${seconds(requestTimeoutMs)}.`,
      );
    }
    if (session.era === 'legacy' && this.#speaks === 'modern') throw modernOnlyError(this.#name);
    this.#router.attach(session);
  }

  message(session: ClientSession, message: JSONRPCMessage, text: string): void {
    this.#router.fromClient(session, message, text);
  }

  closed(session: ClientSession): void {
    this.#router.detach(session);
  }

  inFlight(session: ClientSession): number {
    return this.#router.inFlightFor(session);
  }

  // ---- control -----------------------------------------------------------------------------------

  /** Manual restart: the process is stopped politely and started again, backoff forgotten. */
  async restart(): Promise<void> {
    this.#cancelRestart();
    this.#backoff.reset();
    this.#crashed = false;
    this.#refused = null;
    await this.#stopChild('restarted on request');
    this.#options.status.update({ restarts: (this.#options.status.current.restarts ?? 0) + 1 });
    this.start();
  }

  async stop(reason = 'stopped with the gateway'): Promise<void> {
    this.#cancelRestart();
    await this.#stopChild(reason);
    this.#rejectWaiters();
    this.#options.status.set('stopped', { pid: undefined, restartAt: null });
  }

  async #stopChild(reason: string): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#stopReason = reason;
    await child.stop();
  }
}
