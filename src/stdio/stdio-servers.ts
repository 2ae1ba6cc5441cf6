import type { CaptureSink } from '../core/capture-events.js';
import type { ServerState, ServerStatus } from '../core/server-status.js';
import type { MessageStage } from '../intercept/stage.js';
import type { LocalHandler } from '../proxy/http-proxy.js';
import { maskedCommandLine } from '../redaction/config-masking.js';
import type { StdioServerConfig } from '../registry/schema.js';
import { type SpawnFunction, StdioChild } from './child-process.js';
import { seconds } from './failures.js';
import { StdioEndpoint } from './http-endpoint.js';
import { IsolatedServer } from './isolated-server.js';
import { SharedPool } from './shared-pool.js';
import { StatusTracker } from './status-tracker.js';
import type { StderrLine } from './stderr-ring.js';
import { StdioCapture } from './stdio-capture.js';
import { type ResolvedStdioConfig, resolveStdioConfig, STDIO_LIMITS } from './stdio-config.js';

export interface StdioServersOptions {
  sink: CaptureSink;
  maxCaptureBytes: number;
  /** Status changes a user wants to see (started, stopped). */
  info(message: string): void;
  /** Crashes and start failures. */
  warn(message: string): void;
  spawn?: SpawnFunction;
  /**
   * The command line to print for a server, as configured: its references (`${secret:NAME}`) rather than
   * the values they were filled in with. Default: the command it runs, masked.
   */
  shownCommand?: (name: string) => string | undefined;
  /** Breakpoints and faults for what the servers send their clients (intercept/stage.ts). */
  stage?: MessageStage;
}

interface RunningServer {
  /** The registry entry it runs (the latest object with the same content). */
  source: StdioServerConfig;
  /** The entry's content: every write to mcp.json re-reads all entries, unchanged ones included. */
  key: string;
  config: ResolvedStdioConfig;
  endpoint: StdioEndpoint;
  backend: SharedPool | IsolatedServer;
  idleTimer: NodeJS.Timeout | null;
}

let exitHookInstalled = false;

/**
 * Every stdio server of the registry, each behind its own Streamable HTTP endpoint. Shared servers start
 * with the gateway (so a broken command shows at once); isolated ones start a process per session.
 */
export class StdioServers {
  readonly #options: StdioServersOptions;
  readonly #servers = new Map<string, RunningServer>();

  constructor(options: StdioServersOptions) {
    this.#options = options;
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      // Even when the gateway exits without stopping (a second Ctrl-C), no child is left behind.
      process.on('exit', () => StdioChild.killAllNow());
    }
  }

  /** The proxy's handler for a stdio server; the server starts if it is not running yet. */
  handler(name: string, source: StdioServerConfig): LocalHandler {
    return (this.#current(name, source) ?? this.#start(name, source)).endpoint.handle;
  }

  /** The running server for this entry, unless its configuration changed. */
  #current(name: string, source: StdioServerConfig): RunningServer | undefined {
    const running = this.#servers.get(name);
    if (!running || running.source === source) return running;
    if (running.key !== runKey(source)) return undefined;
    running.source = source;
    return running;
  }

  /** Brings the running servers in line with the registry: new ones start, changed ones restart. */
  sync(servers: ReadonlyMap<string, { type: string }>): void {
    for (const name of [...this.#servers.keys()]) {
      const config = servers.get(name);
      if (config?.type !== 'stdio') void this.#stop(name, 'removed from the registry');
    }
    for (const [name, config] of servers) {
      if (config.type !== 'stdio') continue;
      const source = config as StdioServerConfig;
      if (!this.#current(name, source)) this.#start(name, source);
    }
  }

  #start(name: string, source: StdioServerConfig): RunningServer {
    const previous = this.#servers.get(name);
    if (previous) void this.#shutDown(previous, 'restarted because its configuration changed');
    const config = resolveStdioConfig(name, source);
    const capture = new StdioCapture(
      this.#options.sink,
      name,
      this.#options.maxCaptureBytes,
      this.#options.stage ?? null,
    );
    const tracker = (label: string) =>
      new StatusTracker(label, (server, current, previousState) =>
        this.#report(server, current, previousState, config),
      );
    const status = tracker(name);
    const { spawn } = this.#options;
    const backend =
      config.sessionMode === 'shared'
        ? new SharedPool({
            config,
            capture,
            status,
            spawn,
            tracker: (label) => tracker(`${name} (${label})`),
          })
        : new IsolatedServer({ config, capture, status, spawn });
    const endpoint = new StdioEndpoint({
      capture,
      sink: this.#options.sink,
      maxCaptureBytes: this.#options.maxCaptureBytes,
      backend,
      maxSessions:
        config.sessionMode === 'shared' ? STDIO_LIMITS.maxSharedSessions : Number.POSITIVE_INFINITY,
    });
    const running: RunningServer = {
      source,
      key: runKey(source),
      config,
      endpoint,
      backend,
      idleTimer: null,
    };
    const idleMs = config.idleTimeoutMs;
    if (idleMs !== null) {
      running.idleTimer = setInterval(() => endpoint.endIdle(idleMs), Math.min(idleMs / 2, 60_000));
      running.idleTimer.unref();
    }
    this.#servers.set(name, running);
    if (backend instanceof SharedPool) backend.start();
    return running;
  }

  #report(name: string, status: ServerStatus, previous: ServerState, config: ResolvedStdioConfig): void {
    const { info, warn } = this.#options;
    switch (status.state) {
      case 'starting':
        info(
          `stdio server ${name}: starting ${this.#options.shownCommand?.(config.name) ?? maskedCommandLine(config.command, config.args)}`,
        );
        break;
      case 'running':
        info(`stdio server ${name}: running${status.pid ? ` (pid ${status.pid})` : ''}`);
        break;
      case 'crashed': {
        const restart = status.restartAt
          ? `; restarting in ${seconds(Math.max(0, status.restartAt - Date.now()))}`
          : '';
        warn(
          `stdio server ${name} ${previous === 'starting' ? 'failed to start' : 'crashed'}: ${status.lastError ?? 'no details'}${restart}`,
        );
        break;
      }
      case 'stopped':
        info(`stdio server ${name}: stopped`);
        break;
      default:
        break;
    }
  }

  status(name: string): ServerStatus | undefined {
    const running = this.#servers.get(name);
    if (!running) return undefined;
    return { ...running.backend.status(), sessions: running.endpoint.sessions.size };
  }

  /** The server's recent stderr lines, oldest first; undefined when `name` is no stdio server. */
  stderr(name: string, limit?: number): { lines: StderrLine[]; total: number } | undefined {
    const running = this.#servers.get(name);
    if (!running) return undefined;
    return { lines: running.backend.stderr.recent(limit), total: running.backend.stderr.total };
  }

  /**
   * Restarts a server on request. Shared: its processes restart and sessions carry on (those with a
   * process of their own end). Isolated: every session and its process ends; clients start new sessions,
   * each with a fresh process.
   */
  async restart(name: string): Promise<ServerStatus | undefined> {
    const running = this.#servers.get(name);
    if (!running) return undefined;
    if (running.backend instanceof SharedPool) {
      await running.backend.restart();
    } else {
      running.endpoint.closeAll();
      await running.backend.stop();
    }
    return this.status(name);
  }

  async #stop(name: string, reason: string): Promise<void> {
    const running = this.#servers.get(name);
    if (!running) return;
    this.#servers.delete(name);
    await this.#shutDown(running, reason);
  }

  async #shutDown(running: RunningServer, reason: string): Promise<void> {
    if (running.idleTimer) clearInterval(running.idleTimer);
    running.endpoint.closeAll();
    if (running.backend instanceof SharedPool) await running.backend.stop(reason);
    else await running.backend.stop();
  }

  /** Shutdown: every session ends, every process is stopped the MCP way; resolves when all have exited. */
  async stopAll(): Promise<void> {
    const all = [...this.#servers.values()];
    this.#servers.clear();
    await Promise.all(all.map((running) => this.#shutDown(running, 'stopped with the gateway')));
  }
}

/**
 * What the process depends on: a change to the gateway's rate limits for the server (`rateLimit`,
 * `clientRateLimit`) applies at the proxy and does not restart it.
 */
function runKey(source: StdioServerConfig): string {
  const { rateLimit: _rate, clientRateLimit: _clientRate, ...process } = source;
  return JSON.stringify(process);
}
