import type { StdioServerConfig } from '../registry/schema.js';

/**
 * A stdio server's settings with every default filled in. The defaults are documented in docs/stdio-servers.md
 * ("stdio servers"); change them there too.
 */
export interface ResolvedStdioConfig {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Only the configured variables; the inherited ones are added at spawn time (see child-env.ts). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string | undefined;
  readonly sessionMode: 'shared' | 'isolated';
  /** Time a request may wait for its answer; progress notifications restart the clock. */
  readonly requestTimeoutMs: number;
  readonly restart: boolean;
  /** A session with no message from its client for this long is ended; null: never. */
  readonly idleTimeoutMs: number | null;
  readonly maxProcesses: number;
  /** Longest stdout line (one message) taken from the server; a longer one is dropped ("maxLineMb"). */
  readonly maxLineBytes: number;
}

export const STDIO_DEFAULTS = {
  requestTimeoutMs: 5 * 60_000,
  isolatedIdleTimeoutMs: 30 * 60_000,
  maxProcesses: 20,
} as const;

const MiB = 1024 * 1024;

/**
 * Limits that keep memory bounded whatever a server writes. A stdout line longer than its server's
 * `maxLineBytes` (default below) is cut: the message is dropped (it cannot be forwarded half) and an
 * error is recorded.
 */
export const STDIO_LIMITS = {
  maxLineBytes: 32 * MiB,
  /** What is kept of a cut stdout line: enough to see what it was, and to read an id written first. */
  cutLineHeadBytes: 4096,
  /** stderr is for humans: longer lines are kept cut, the rest of the line skipped. */
  maxStderrLineBytes: 16 * 1024,
  /**
   * stderr lines written together (within a few ms: one write, or a burst of them) are one record: a stack
   * trace reads as one thing. A block is cut at these sizes, so that one record and memory stay bounded.
   */
  stderrBlock: { quietMs: 10, maxBytes: 64 * 1024, maxLines: 200 },
  /** Recent stderr lines kept per server for the API and for crash reports. */
  stderrRingLines: 200,
  /** Stderr lines quoted in the error a crash sends to in-flight requests. */
  crashQuoteLines: 5,
  /** MCP lifecycle, stdio shutdown: time to exit after stdin closes, then again after SIGTERM. */
  stopGraceMs: 2000,
  /** Shared mode: most sessions kept; the least recently active is ended past it. */
  maxSharedSessions: 1000,
} as const;

export function resolveStdioConfig(name: string, config: StdioServerConfig): ResolvedStdioConfig {
  const sessionMode = config.sessionMode ?? 'shared';
  return {
    name,
    command: config.command,
    args: config.args ?? [],
    env: config.env ?? {},
    cwd: config.cwd,
    sessionMode,
    requestTimeoutMs: config.timeout ?? STDIO_DEFAULTS.requestTimeoutMs,
    restart: config.restart ?? sessionMode === 'shared',
    idleTimeoutMs:
      config.idleTimeout ?? (sessionMode === 'isolated' ? STDIO_DEFAULTS.isolatedIdleTimeoutMs : null),
    maxProcesses: config.maxProcesses ?? STDIO_DEFAULTS.maxProcesses,
    maxLineBytes: config.maxLineMb !== undefined ? config.maxLineMb * MiB : STDIO_LIMITS.maxLineBytes,
  };
}

/** How the command line reads in messages: `npx -y @scope/server`. */
export function commandLine(config: Pick<ResolvedStdioConfig, 'command' | 'args'>): string {
  return [config.command, ...config.args].map((part) => (/\s/.test(part) ? `"${part}"` : part)).join(' ');
}
