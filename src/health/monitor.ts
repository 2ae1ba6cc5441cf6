import type { ServerStatus } from '../core/server-status.js';
import { type ProbeResult, type ProbeTarget, probeMcpEndpoint } from './probe.js';
import { type HealthChange, type HealthReport, type HealthState, UNKNOWN_HEALTH } from './types.js';

export interface HealthMonitorOptions {
  /** Registered server names. */
  servers: () => string[];
  /** Where to probe an HTTP server; undefined for servers that are not HTTP. */
  target: (name: string) => ProbeTarget | undefined;
  /** A stdio server's process state, from the status providers. */
  processStatus: (name: string) => ServerStatus | undefined;
  /** Milliseconds between rounds of HTTP checks; 0 turns periodic checks off (on-demand checks still work). */
  intervalMs: number;
  probe?: (target: ProbeTarget) => Promise<ProbeResult>;
  now?: () => number;
  /** A listener failed; the others still ran and checks go on. */
  onListenerError?: (error: unknown) => void;
}

/** What one proxied request showed: the upstream answered with `status`, or could not be reached. */
export type TrafficOutcome = { reached: true; status: number } | { reached: false; detail: string };

/** How often stdio process states are looked at: reading them is a function call, no I/O. */
const PROCESS_POLL_MS = 1_000;

const PROCESS_STATES: Readonly<Record<ServerStatus['state'], HealthState>> = {
  running: 'up',
  starting: 'starting',
  crashed: 'down',
  stopped: 'stopped',
  misconfigured: 'misconfigured',
  unknown: 'unknown',
};

/**
 * Knows how each registered server is doing. HTTP servers are probed every `intervalMs` (and on demand);
 * stdio servers are read from their process state. Listeners hear every change of state, which the gateway
 * records on the server's timeline, prints, and pushes on the live feed.
 */
export class HealthMonitor {
  readonly #options: HealthMonitorOptions;
  readonly #reports = new Map<string, HealthReport>();
  readonly #listeners = new Set<(change: HealthChange) => void>();
  readonly #inFlight = new Map<string, Promise<HealthReport>>();
  #timers: NodeJS.Timeout[] = [];

  constructor(options: HealthMonitorOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#timers.length > 0) return;
    if (this.#options.intervalMs > 0) {
      void this.checkAll();
      this.#timers.push(setInterval(() => void this.checkAll(), this.#options.intervalMs));
    }
    this.#timers.push(setInterval(() => this.#readProcesses(), PROCESS_POLL_MS));
    for (const timer of this.#timers) timer.unref();
  }

  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
  }

  onChange(listener: (change: HealthChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  report(name: string): HealthReport {
    if (!this.#options.target(name)) this.#readProcess(name);
    return this.#reports.get(name) ?? UNKNOWN_HEALTH;
  }

  /** A removed server's state is forgotten (a server added again under its name starts unknown). */
  forget(name: string): void {
    this.#reports.delete(name);
  }

  async checkAll(): Promise<void> {
    await Promise.all(this.#options.servers().map((name) => this.check(name)));
  }

  /** Checks one server now; concurrent calls for one server share a probe. */
  check(name: string): Promise<HealthReport> {
    const target = this.#options.target(name);
    if (!target) {
      this.#readProcess(name);
      return Promise.resolve(this.report(name));
    }
    let running = this.#inFlight.get(name);
    if (!running) {
      running = (this.#options.probe ?? probeMcpEndpoint)(target)
        .then((result) => this.#update(name, result, 'probe'))
        .finally(() => this.#inFlight.delete(name));
      this.#inFlight.set(name, running);
    }
    return running;
  }

  /**
   * What proxied traffic just showed of an HTTP server: a request that could not reach it marks it down,
   * one it answered with success marks it up, at once rather than at the next probe. Other answers
   * (4xx, 5xx) say nothing certain about the server as a whole and leave the state to the probe. Called for
   * every proxied request: an unchanged state costs a map lookup.
   */
  observe(name: string, seen: TrafficOutcome): void {
    const state: HealthState = seen.reached ? 'up' : 'down';
    if (seen.reached && (seen.status < 200 || seen.status >= 300)) return;
    if (this.#reports.get(name)?.state === state || !this.#options.target(name)) return;
    const detail = seen.reached
      ? `a proxied request was answered (HTTP ${seen.status})`
      : `a proxied request failed: ${seen.detail}`;
    this.#update(
      name,
      { state, latencyMs: null, httpStatus: seen.reached ? seen.status : null, detail },
      'traffic',
    );
  }

  #readProcesses(): void {
    for (const name of this.#options.servers()) {
      if (!this.#options.target(name)) this.#readProcess(name);
    }
  }

  #readProcess(name: string): void {
    const status = this.#options.processStatus(name);
    if (!status) return;
    const state = PROCESS_STATES[status.state];
    const previous = this.#reports.get(name);
    if (previous?.state === state && previous.detail === (status.lastError ?? null)) return;
    this.#update(
      name,
      { state, latencyMs: null, httpStatus: null, detail: status.lastError ?? null },
      'process',
    );
  }

  #update(name: string, result: ProbeResult, source: HealthChange['source']): HealthReport {
    // A server removed while its probe ran is not brought back.
    if (!this.#options.servers().includes(name)) return { ...UNKNOWN_HEALTH, ...result };
    const now = (this.#options.now ?? Date.now)();
    const previous = this.#reports.get(name) ?? UNKNOWN_HEALTH;
    const changed = previous.state !== result.state;
    const report: HealthReport = { ...result, checkedAt: now, since: changed ? now : previous.since };
    this.#reports.set(name, report);
    if (changed) {
      for (const listener of this.#listeners) {
        try {
          listener({ server: name, previous: previous.state, report, source });
        } catch (error) {
          this.#options.onListenerError?.(error);
        }
      }
    }
    return report;
  }
}
