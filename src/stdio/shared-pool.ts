import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '../core/errors.js';
import type { ProcessProfile, ServerStatus } from '../core/server-status.js';
import type { SpawnFunction } from './child-process.js';
import { BARE_PROFILE, type ClientProfile, clientProfile, describeProfile } from './client-profile.js';
import type { SessionBackend } from './http-endpoint.js';
import { IsolatedServer } from './isolated-server.js';
import type { ClientSession } from './session-peer.js';
import { SharedServer } from './shared-server.js';
import type { StatusTracker } from './status-tracker.js';
import { StderrRing } from './stderr-ring.js';
import type { StdioCapture } from './stdio-capture.js';
import { type ResolvedStdioConfig, STDIO_LIMITS } from './stdio-config.js';

export interface SharedPoolOptions {
  config: ResolvedStdioConfig;
  capture: StdioCapture;
  /** The server's own status: that of its first process, for clients that declare no capabilities. */
  status: StatusTracker;
  /** The status of another of its processes, reported under `label`. */
  tracker(label: string): StatusTracker;
  spawn?: SpawnFunction;
}

interface ProfileProcess {
  profile: ClientProfile;
  server: SharedServer;
  /** Sessions it serves or is about to serve: with none left, a process other than the first ends. */
  sessions: Set<ClientSession>;
}

/**
 * "shared" mode: a client behind it sees what it would see with a process of its own, and one process
 * serves many clients wherever that holds. Sessions that declared the same capabilities share a process,
 * initialized with exactly those capabilities (client-profile.ts says why); the one for clients that
 * declare nothing starts with the gateway, the others when their first session comes and end with their
 * last. A client that declares roots gets a process of its own, as in isolated mode.
 */
export class SharedPool implements SessionBackend {
  readonly stderr = new StderrRing(STDIO_LIMITS.stderrRingLines);
  readonly #options: SharedPoolOptions;
  readonly #primary: ProfileProcess;
  readonly #profiles = new Map<string, ProfileProcess>();
  readonly #dedicated: IsolatedServer;
  readonly #backendOf = new Map<ClientSession, SessionBackend>();
  /**
   * The process for MCP 2026-07-28 clients of a server that also speaks 2025: a stdio connection speaks
   * the era of its first exchange, so they cannot share the 2025 one. Started by the first such client.
   */
  #modern: ProfileProcess | null = null;

  constructor(options: SharedPoolOptions) {
    this.#options = options;
    this.#primary = this.#profileProcess(BARE_PROFILE, options.status);
    this.#profiles.set(BARE_PROFILE.key, this.#primary);
    const { config, capture, spawn } = options;
    this.#dedicated = new IsolatedServer({
      config,
      capture,
      spawn,
      stderr: this.stderr,
      status: options.tracker('clients that declare roots, one process per session'),
      purpose: 'shared mode runs one per session for clients that declare roots',
    });
  }

  #profileProcess(profile: ClientProfile, status: StatusTracker, modernOnly = false): ProfileProcess {
    const { config, capture, spawn } = this.#options;
    const server = new SharedServer({
      config,
      capture,
      spawn,
      status,
      stderr: this.stderr,
      capabilities: profile.capabilities,
      modernOnly,
    });
    return { profile, server, sessions: new Set() };
  }

  start(): void {
    this.#primary.server.start();
  }

  status(): ServerStatus {
    const profiles: ProcessProfile[] = [];
    const entries = [...this.#profiles.values(), ...(this.#modern ? [this.#modern] : [])];
    for (const { profile, server, sessions } of entries) {
      const { state, pid } = server.status();
      profiles.push({
        capabilities: profile.capabilities,
        perSession: false,
        state,
        pid,
        sessions: sessions.size,
      });
    }
    for (const { session, pid } of this.#dedicated.running()) {
      const capabilities = session.clientCapabilities ?? {};
      profiles.push({ capabilities, perSession: true, state: 'running', pid, sessions: 1 });
    }
    const live = profiles.filter(
      (p) => p.pid !== undefined && (p.state === 'running' || p.state === 'starting'),
    );
    return {
      ...this.#primary.server.status(),
      sessions: this.#backendOf.size,
      processes: live.length,
      profiles,
    };
  }

  // ---- SessionBackend ----------------------------------------------------------------------------

  async open(session: ClientSession, initializeParams: unknown): Promise<void> {
    if (session.era === 'modern') {
      await this.#openModern(session);
      return;
    }
    const profile = clientProfile(initializeParams);
    session.clientCapabilities = profile.capabilities;
    if (profile.perSession) {
      await this.#dedicated.open(session);
      this.#backendOf.set(session, this.#dedicated);
      return;
    }
    const entry = this.#profiles.get(profile.key) ?? this.#addProfile(profile);
    entry.sessions.add(session);
    try {
      await entry.server.open(session);
    } catch (error) {
      entry.sessions.delete(session);
      this.#retireIfUnused(entry);
      throw error;
    }
    this.#backendOf.set(session, entry.server);
  }

  /**
   * A 2026 client: served by the first process if that one speaks only 2026, else by the process opened
   * with server/discover. Its capabilities travel in each request's `_meta`, so one process serves all.
   */
  async #openModern(session: ClientSession): Promise<void> {
    await this.#primary.server.settled();
    const entry = this.#primary.server.speaks === 'modern' ? this.#primary : this.#modernProcess();
    entry.sessions.add(session);
    try {
      await entry.server.open(session);
    } catch (error) {
      entry.sessions.delete(session);
      throw error;
    }
    this.#backendOf.set(session, entry.server);
  }

  #modernProcess(): ProfileProcess {
    if (this.#modern) return this.#modern;
    const profile: ClientProfile = { key: 'era:2026', capabilities: {}, perSession: false };
    const entry = this.#profileProcess(profile, this.#options.tracker('MCP 2026-07-28 clients'), true);
    this.#modern = entry;
    entry.server.start();
    return entry;
  }

  #addProfile(profile: ClientProfile): ProfileProcess {
    const { config } = this.#options;
    // Each distinct declaration costs a process: a client cannot make the gateway start them without end.
    if (this.#profiles.size >= config.maxProcesses) {
      throw new GatewayError(
        503,
        `stdio server "${config.name}" already runs ${this.#profiles.size} shared processes, one for each set of client capabilities in use, its limit ("maxProcesses" in mcp.json). End sessions you no longer use (DELETE), or raise maxProcesses.`,
      );
    }
    const entry = this.#profileProcess(profile, this.#options.tracker(describeProfile(profile)));
    this.#profiles.set(profile.key, entry);
    entry.server.start();
    return entry;
  }

  #retireIfUnused(entry: ProfileProcess): void {
    if (entry === this.#primary || entry.sessions.size > 0) return;
    if (this.#profiles.get(entry.profile.key) === entry) this.#profiles.delete(entry.profile.key);
    void entry.server.stop('no session uses it any more');
  }

  /** The session's own process answers whether it can serve now (a crashed one refuses at once). */
  refusal(session: ClientSession): GatewayError | null {
    return this.#backendOf.get(session)?.refusal?.(session) ?? null;
  }

  message(session: ClientSession, message: JSONRPCMessage, text: string): void {
    this.#backendOf.get(session)?.message(session, message, text);
  }

  closed(session: ClientSession): void {
    const backend = this.#backendOf.get(session);
    if (!backend) return;
    this.#backendOf.delete(session);
    backend.closed(session);
    this.#modern?.sessions.delete(session);
    for (const entry of this.#profiles.values()) {
      if (entry.server !== backend) continue;
      entry.sessions.delete(session);
      this.#retireIfUnused(entry);
      return;
    }
  }

  inFlight(session: ClientSession): number {
    return this.#backendOf.get(session)?.inFlight(session) ?? 0;
  }

  // ---- control -----------------------------------------------------------------------------------

  /** Shared processes restart and their sessions carry on; sessions with a process of their own end. */
  async restart(): Promise<void> {
    this.#dedicated.endAll('the server was restarted on request');
    await Promise.all([
      this.#dedicated.stop(),
      ...[...this.#profiles.values()].map((entry) => entry.server.restart()),
      ...(this.#modern ? [this.#modern.server.restart()] : []),
    ]);
  }

  async stop(reason = 'stopped with the gateway'): Promise<void> {
    await Promise.all([
      this.#dedicated.stop(),
      ...[...this.#profiles.values()].map((entry) => entry.server.stop(reason)),
      ...(this.#modern ? [this.#modern.server.stop(reason)] : []),
    ]);
  }
}
