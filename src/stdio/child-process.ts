import { type ChildProcessWithoutNullStreams, spawn as nodeSpawn } from 'node:child_process';
import { childEnv } from './child-env.js';
import { describeExit, directoryProblem, spawnProblem } from './child-problems.js';
import { LineSplitter } from './line-splitter.js';
import { GROUPED, sendSignal, shutDown } from './process-signals.js';
import { STDIO_LIMITS } from './stdio-config.js';

export interface ChildSpec {
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd: string | undefined;
  /** Longest stdout line taken; STDIO_LIMITS.maxLineBytes when not given. */
  maxLineBytes?: number;
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
  /** A stdout line outgrew the limit and is being skipped; `head` is its first bytes (a few KiB). */
  stdoutOverflow(head: Buffer): void;
  /** The skipped line ended; `tail` holds its last bytes. */
  stdoutOverflowEnd(totalBytes: number, tail: Buffer): void;
  stderr(line: string, truncated: boolean): void;
  exit(exit: ChildExit): void;
}

export type SpawnFunction = (
  command: string,
  args: readonly string[],
  options: {
    cwd?: string;
    env: NodeJS.ProcessEnv;
    stdio: ['pipe', 'pipe', 'pipe'];
    detached: boolean;
    windowsHide: boolean;
  },
) => ChildProcessWithoutNullStreams;

const defaultSpawn: SpawnFunction = (command, args, options) => nodeSpawn(command, [...args], options);

/** How long the pipes may stay open after the process exited (its last lines are still arriving). */
const PIPE_DRAIN_MS = 1000;

/** Children still running, so that even an abrupt exit of the gateway takes them down (see killAllNow). */
const live = new Set<StdioChild>();

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
      // Its own process group (POSIX): signals reach what the server started too (npx runs the real
      // server as its child), and a terminal's Ctrl-C is left to the gateway, which shuts down in order.
      detached: GROUPED,
      windowsHide: true,
    });
    this.#process = child;
    live.add(this);
    const stdout = new LineSplitter(
      spec.maxLineBytes ?? STDIO_LIMITS.maxLineBytes,
      {
        line: (line) => handlers.stdout(line),
        overflow: (head) => handlers.stdoutOverflow(head),
        overflowEnd: (total, tail) => handlers.stdoutOverflowEnd(total, tail),
      },
      STDIO_LIMITS.cutLineHeadBytes,
    );
    const stderr = new LineSplitter(STDIO_LIMITS.maxStderrLineBytes, {
      line: (line) => handlers.stderr(line, false),
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
    const closed = (code: number | null, signal: NodeJS.Signals | null) => {
      if (this.#exit) return;
      stdout.end();
      stderr.end();
      // What the server left running in its group would be orphaned: it goes with it.
      sendSignal(child, 'SIGKILL', GROUPED);
      finish({ code, signal, error: null });
    };
    child.once('close', closed);
    // A descendant that escaped the group may hold the pipes open for ever: the exit is enough, after a while.
    child.once('exit', (code, signal) => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        closed(code, signal);
      }, PIPE_DRAIN_MS).unref();
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
    return shutDown(child, this.#exited, graceMs, { grouped: GROUPED });
  }

  /** For process exit: no time is left to be polite. */
  killNow(): void {
    if (this.#exit || !this.#process) return;
    sendSignal(this.#process, 'SIGKILL', GROUPED);
  }

  static killAllNow(): void {
    for (const child of live) child.killNow();
  }
}
