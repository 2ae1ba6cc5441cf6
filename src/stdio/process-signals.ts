import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/** Servers run in a process group of their own where there are process groups. */
export const GROUPED = process.platform !== 'win32';

/**
 * MCP lifecycle, "Shutdown" over stdio: the client closes the server's stdin, waits for it to exit, sends
 * SIGTERM if it does not within a reasonable time, and SIGKILL if it still has not.
 */
export async function shutDown<T>(
  child: ChildProcessWithoutNullStreams,
  exited: Promise<T>,
  graceMs: number,
  options: { signal?: NodeJS.Signals; grouped?: boolean } = {},
): Promise<T> {
  const grouped = options.grouped ?? false;
  child.stdin.end();
  if (await settlesWithin(exited, graceMs)) return exited;
  sendSignal(child, options.signal ?? 'SIGTERM', grouped);
  if (await settlesWithin(exited, graceMs)) return exited;
  sendSignal(child, 'SIGKILL', grouped);
  return exited;
}

/** Signals the child, or its whole process group when it leads one (so its own children get it too). */
export function sendSignal(
  child: ChildProcessWithoutNullStreams,
  name: NodeJS.Signals,
  grouped: boolean,
): void {
  if (child.pid === undefined) return;
  try {
    if (grouped) process.kill(-child.pid, name);
    else child.kill(name);
  } catch {
    // ESRCH: nothing is left to signal.
  }
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
