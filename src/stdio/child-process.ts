import { type ChildProcessWithoutNullStreams, spawn as nodeSpawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { childEnv } from './child-env.js';
import { LineSplitter } from './line-splitter.js';
import { STDIO_LIMITS } from './stdio-config.js';

export interface ChildSpec {
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd: string | undefined;
}

/** How a child ended. `error` is set when it never ran (command not found) or broke its pipes. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error: string | null;
}

export interface ChildHandlers {
  /** One stdout line (a JSON-RPC message, normally). */
  stdout(line: string): void;
  /** A stdout line outgrew the limit and is being skipped; `head` is its start. */
  stdoutOverflow(head: Buffer): void;
  /** The skipped line ended; `tail` holds its last bytes. */
  stdoutOverflowEnd(totalBytes: number, tail: Buffer): void;
  stderr(line: string, truncated: boolean): void;
  exit(exit: ChildExit): void;
}

export type SpawnFunction = (
  command: string,
  args: readonly string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; stdio: ['pipe', 'pipe', 'pipe']; windowsHide: boolean },
) => ChildProcessWithoutNullStreams;

const defaultSpawn: SpawnFunction = (command, args, options) => nodeSpawn(command, [...args], options);

/** Children still running, so that even an abrupt exit of the gateway takes them down (see killAllNow). */
const live = new Set<StdioChild>();

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

/**
 * One stdio server process. Spawned without a shell (arguments are never re-parsed); stdout is split into
 * lines with a length cap, stderr into log lines. Shutdown follows the MCP lifecycle for stdio: close the
 * child's stdin, wait, then SIGTERM, wait, then SIGKILL.
 */
export class StdioChild {
  readonly #process: ChildProcessWithoutNullStreams | null;
  readonly #exited: Promise<ChildExit>;
  #exit: ChildExit | null = null;
  #spawned = false;

  constructor(spec: ChildSpec, server: string, handlers: ChildHandlers, spawn: SpawnFunction = defaultSpawn) {
    let resolveExit: (exit: ChildExit) => void = () => {};
    this.#exited = new Promise((resolve) => {
      resolveExit = resolve;
    });
    const finish = (exit: ChildExit) => {
      if (this.#exit) return;
      this.#exit = exit;
      live.delete(this);
      resolveExit(exit);
      handlers.exit(exit);
    };
    const cwdProblem = spec.cwd ? directoryProblem(spec.cwd, server) : null;
    if (cwdProblem) {
      this.#process = null;
      queueMicrotask(() => finish({ code: null, signal: null, error: cwdProblem }));
      return;
    }
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: childEnv(spec.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.#process = child;
    live.add(this);
    const stdout = new LineSplitter(STDIO_LIMITS.maxLineBytes, {
      line: (line) => handlers.stdout(line.toString('utf8')),
      overflow: (head) => handlers.stdoutOverflow(head),
      overflowEnd: (total, tail) => handlers.stdoutOverflowEnd(total, tail),
    });
    const stderr = new LineSplitter(STDIO_LIMITS.maxStderrLineBytes, {
      line: (line) => handlers.stderr(line.toString('utf8'), false),
      overflow: (head) => handlers.stderr(head.toString('utf8'), true),
      overflowEnd: () => {},
    });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A child that exits while we write gets EPIPE; its exit is reported through 'exit', not as a crash here.
    child.stdin.on('error', () => {});
    child.once('spawn', () => {
      this.#spawned = true;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (this.#spawned) return;
      finish({
        code: null,
        signal: null,
        error: spawnProblem(spec.command, error, `the "command" of server "${server}" in mcp.json`),
      });
    });
    // 'close' waits for the pipes to drain, so the last stdout lines arrive before the exit is reported.
    child.once('close', (code, signal) => {
      stdout.end();
      stderr.end();
      finish({ code, signal, error: null });
    });
  }

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  get running(): boolean {
    return this.#exit === null && this.#process !== null;
  }

  /** Resolves once the process has started, or rejects with the reason it could not. */
  started(): Promise<void> {
    if (this.#spawned) return Promise.resolve();
    if (this.#exit) return Promise.reject(new Error(this.#exit.error ?? 'the process exited at once'));
    return new Promise((resolve, reject) => {
      const child = this.#process;
      if (!child) return;
      child.once('spawn', () => resolve());
      void this.#exited.then((exit) => reject(new Error(exit.error ?? describeExit(exit))));
    });
  }

  get exited(): Promise<ChildExit> {
    return this.#exited;
  }

  /** Writes one message line; false when the child is gone. */
  write(line: string): boolean {
    const stdin = this.#process?.stdin;
    if (!stdin || this.#exit || stdin.destroyed || !stdin.writable) return false;
    stdin.write(`${line}\n`);
    return true;
  }

  /** MCP lifecycle, shutdown over stdio: close stdin, then SIGTERM, then SIGKILL, each after a grace period. */
  async stop(graceMs: number = STDIO_LIMITS.stopGraceMs): Promise<ChildExit> {
    const child = this.#process;
    if (!child || this.#exit) return this.#exited;
    return shutDown(child, this.#exited, graceMs);
  }

  /** For process exit: no time is left to be polite. */
  killNow(): void {
    if (this.#exit) return;
    this.#process?.kill('SIGKILL');
  }

  static killAllNow(): void {
    for (const child of live) child.killNow();
  }
}

/**
 * MCP lifecycle, "Shutdown" over stdio: the client closes the server's stdin, waits for it to exit, sends
 * SIGTERM if it does not within a reasonable time, and SIGKILL if it still has not.
 */
export async function shutDown<T>(
  child: ChildProcessWithoutNullStreams,
  exited: Promise<T>,
  graceMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<T> {
  child.stdin.end();
  if (await settlesWithin(exited, graceMs)) return exited;
  child.kill(signal);
  if (await settlesWithin(exited, graceMs)) return exited;
  child.kill('SIGKILL');
  return exited;
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

function directoryProblem(cwd: string, server: string): string | null {
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
