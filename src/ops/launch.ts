import { commandLine } from '../core/command-line.js';
import type { ServerConfig } from '../registry/schema.js';

/**
 * What the gateway would run for a stdio server, as a person deciding whether to allow it needs to see it:
 * the exact command line, the names of the environment variables it sets (values are often secrets, so
 * they are never shown) and the working directory.
 */
export interface LaunchSummary {
  command: string;
  args: string[];
  /** The command and its arguments as one POSIX shell line, quoted so that it reads as what runs. */
  commandLine: string;
  envNames: string[];
  /** Names whose value is new or differs from the running launch (all of them for a new server). */
  changedEnv: string[];
  /** null: the gateway's own working directory. */
  cwd: string | null;
  /** The launch this one replaces, when a server's command changes. */
  replaces: { commandLine: string; cwd: string | null } | null;
}

function sameEnv(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

/**
 * The launch that needs the owner's consent: a stdio server that is new, or whose command, arguments,
 * environment or working directory differ from what runs now. Anything else (an http server, a new
 * timeout or session mode) starts no new program, so it needs none; then this is null.
 */
export function launchToApprove(next: ServerConfig, current?: ServerConfig): LaunchSummary | null {
  if (next.type !== 'stdio') return null;
  const before = current?.type === 'stdio' ? current : undefined;
  const args = next.args ?? [];
  if (
    before &&
    before.command === next.command &&
    JSON.stringify(before.args ?? []) === JSON.stringify(args) &&
    sameEnv(before.env, next.env) &&
    (before.cwd ?? null) === (next.cwd ?? null)
  ) {
    return null;
  }
  const env = next.env ?? {};
  const envNames = Object.keys(env).sort();
  return {
    command: next.command,
    args,
    commandLine: commandLine(next.command, args),
    envNames,
    changedEnv: envNames.filter((key) => before?.env?.[key] !== env[key]),
    cwd: next.cwd ?? null,
    replaces: before
      ? { commandLine: commandLine(before.command, before.args ?? []), cwd: before.cwd ?? null }
      : null,
  };
}

/** The launch as lines of plain text: the elicitation message and the tool results show this. */
export function launchText(launch: LaunchSummary): string {
  const env =
    launch.envNames.length === 0
      ? '(none)'
      : launch.envNames
          .map((key) => (launch.replaces && launch.changedEnv.includes(key) ? `${key} (changed)` : key))
          .join(', ');
  const lines = [
    `Command line: ${launch.commandLine}`,
    `Program: ${launch.command}`,
    `Arguments: ${launch.args.length === 0 ? '(none)' : JSON.stringify(launch.args)}`,
    `Environment variables set: ${env}`,
    `Working directory: ${launch.cwd ?? "(the gateway's own)"}`,
  ];
  if (launch.replaces) lines.push(`It replaces: ${launch.replaces.commandLine}`);
  return lines.join('\n');
}
