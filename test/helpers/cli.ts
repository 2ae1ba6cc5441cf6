import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/mcp-gateway.js', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the output so far once `pattern` appears on stdout or stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exit(): Promise<number | null>;
}

/** Runs the real CLI (`bin/mcp-gateway.js`, built code) as a child process. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}): CliRun {
  return runProcess(process.execPath, [BIN, ...args], env);
}

/**
 * `npm start -- <args>` in the checkout, as the README's Quick start runs it: npm runs the package's start
 * script, which runs the gateway. In a process group of its own, so that `stopGroup` ends npm and the gateway.
 */
export function runNpmStart(args: string[], env: Record<string, string | undefined> = {}): CliRun {
  return runProcess('npm', ['start', '--', ...args], env, {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    detached: true,
  });
}

/** Ends a run started in its own process group (runNpmStart) and waits for it. */
export async function stopGroup(run: CliRun): Promise<void> {
  if (run.child.exitCode !== null || run.child.pid === undefined) return;
  process.kill(-run.child.pid, 'SIGTERM');
  await run.exit();
}

function runProcess(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  options: { cwd?: string; detached?: boolean } = {},
): CliRun {
  const child = spawn(command, args, {
    env: { ...process.env, MCP_GATEWAY_TOKEN: undefined, MCP_GATEWAY_PORT: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    notify();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    notify();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out) || pattern.test(err)) {
            clearTimeout(timer);
            resolve(out + err);
            return true;
          }
          return false;
        };
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern}; output:\n${out}\n${err}`)),
          timeoutMs,
        );
        if (!check()) waiters.push(check);
        void exited.then(() => {
          if (!check()) {
            clearTimeout(timer);
            reject(new Error(`exited before ${pattern}; output:\n${out}\n${err}`));
          }
        });
      });
    },
    exit: () => exited,
  };
}
