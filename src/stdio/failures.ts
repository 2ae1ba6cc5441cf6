import { describeExit } from './child-problems.js';
import type { ChildExit } from './child-process.js';
import type { Failure } from './router.js';
import type { StderrLine } from './stderr-ring.js';

/**
 * The errors clients get when a stdio server cannot answer, in one place so that they read alike: what
 * happened, the server's last words on stderr, and what to do.
 */

function quote(lines: readonly StderrLine[]): string {
  if (lines.length === 0) return ' It wrote nothing to stderr.';
  return ` Last stderr: ${lines.map((l) => JSON.stringify(l.line)).join(' | ')}`;
}

function data(server: string, exit: ChildExit | null, lines: readonly StderrLine[]): Record<string, unknown> {
  return {
    server,
    exitCode: exit?.code ?? null,
    signal: exit?.signal ?? null,
    stderr: lines.map((l) => l.line),
  };
}

/**
 * What to look at when a process dies before it could serve: the command that started it, and what it
 * said on stderr (kept by the gateway, shown on the server's page).
 */
export function checkCommandHint(server: string): string {
  const name = encodeURIComponent(server);
  return `check its command, args and env in mcp.json, and what it wrote to stderr (the server's page /ui/servers/${name} in the web UI, or GET /api/servers/${name}/stderr)`;
}

/** In-flight requests when the process exits. */
export function crashFailure(
  server: string,
  exit: ChildExit,
  lines: readonly StderrLine[],
  next: string,
): Failure {
  return {
    message: `stdio server "${server}" exited (${describeExit(exit)}) before answering; ${next}.${quote(lines)}`,
    data: data(server, exit, lines),
  };
}

/** Requests that arrive while the server cannot take them. */
export function notRunningFailure(
  server: string,
  why: string,
  exit: ChildExit | null,
  lines: readonly StderrLine[],
): Failure {
  return {
    message: `stdio server "${server}" is not running: ${why}.${exit ? quote(lines) : ''}`,
    data: data(server, exit, lines),
  };
}

/** An answer the server wrote on one line longer than the gateway takes from it ("maxLineMb"). */
export function tooLongFailure(server: string, method: string, bytes: number, limit: number): Failure {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  const limitMb = Math.round(limit / 1024 / 1024);
  return {
    message: `stdio server "${server}" answered ${method} with a message of ${mib(bytes)}, over the gateway's limit of ${mib(limit)} for one stdio line; the answer was dropped. If answers this large are expected, raise "maxLineMb" for "${server}" in mcp.json (now ${limitMb}); otherwise ask for less (paging, smaller resources).`,
  };
}

/** "0.5 s", "2 s", "30 s": a delay as a person reads it. */
export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s` : `${Math.round(ms / 1000)} s`;
}
