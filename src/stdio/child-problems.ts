import { statSync } from 'node:fs';
import type { ChildExit } from './child-process.js';

/** Why a stdio server could not start or how it ended, in words a user can act on. */

/** A spawn failure put in words a user can act on; `fix` names where the command comes from. */
export function spawnProblem(command: string, error: NodeJS.ErrnoException, fix: string): string {
  if (error.code === 'ENOENT') {
    return `command "${command}" was not found: install it, or fix ${fix} (a program on PATH or an absolute path; it is run without a shell)`;
  }
  if (error.code === 'EACCES') {
    return `command "${command}" is not executable: check its permissions, or fix ${fix}`;
  }
  return `could not start "${command}": ${error.message}`;
}

/** A configured `cwd` that cannot be used (spawn would only say ENOENT, as for a missing command). */
export function directoryProblem(cwd: string, server: string): string | null {
  try {
    if (statSync(cwd).isDirectory()) return null;
    return `"cwd" of server "${server}" is not a directory: ${cwd}. Fix it in mcp.json`;
  } catch {
    return `"cwd" of server "${server}" does not exist: ${cwd}. Fix it in mcp.json`;
  }
}

/** "exit code 1", "signal SIGKILL", or the start error, for messages. */
export function describeExit(exit: ChildExit): string {
  if (exit.error) return exit.error;
  if (exit.signal) return `killed by signal ${exit.signal}`;
  return `exit code ${exit.code ?? 'unknown'}`;
}
