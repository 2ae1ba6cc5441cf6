import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { describeExit, spawnProblem } from './child-problems.js';
import type { ChildExit } from './child-process.js';
import { LineSplitter } from './line-splitter.js';
import { shutDown } from './process-signals.js';
import { StderrBlocks } from './stderr-blocks.js';
import type { StdioCapture } from './stdio-capture.js';
import { STDIO_LIMITS } from './stdio-config.js';

export interface RelayOptions {
  command: string;
  args: readonly string[];
  /** The server's environment: for `wrap`, everything the client gave it (the client chose it). */
  env: NodeJS.ProcessEnv;
  input: Readable;
  output: Writable;
  errorOutput: Writable;
  capture: StdioCapture;
  sessionId: string;
  graceMs?: number;
}

/**
 * Sits between a stdio client and the stdio server it launched (`mcp-gateway wrap`): bytes are relayed
 * unchanged in both directions, and a copy of each line goes to capture after it has been passed on, so
 * the relay never waits for capture. Nothing but the server's own output reaches the client's stdout.
 */
export class StdioRelay {
  readonly #options: RelayOptions;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #exited: Promise<ChildExit>;
  #exit: ChildExit | null = null;

  constructor(options: RelayOptions) {
    this.#options = options;
    const { capture, sessionId, input, output, errorOutput } = options;
    const stderrBlocks = new StderrBlocks(
      (block) =>
        capture.line(sessionId, 'stderr', block.text, { truncated: block.truncated, time: block.time }),
      STDIO_LIMITS.stderrBlock,
    );
    const record = (stream: 'stdin' | 'stdout') =>
      new LineSplitter(
        STDIO_LIMITS.maxLineBytes,
        {
          line: (line) => {
            // What the server logged before a message is recorded before it: the timeline stays in order.
            if (stream === 'stdout') stderrBlocks.flush();
            capture.line(sessionId, stream, line);
          },
          overflow: (head) =>
            capture.line(sessionId, stream, head.toString('utf8'), {
              truncated: true,
              note: `a line longer than ${STDIO_LIMITS.maxLineBytes / 1024 / 1024} MiB: relayed whole, recorded cut`,
            }),
          overflowEnd: () => {},
        },
        STDIO_LIMITS.cutLineHeadBytes,
      );
    const stdinLines = record('stdin');
    const stdoutLines = record('stdout');
    const stderrLines = new LineSplitter(STDIO_LIMITS.maxStderrLineBytes, {
      line: (line) => stderrBlocks.line(line, false),
      overflow: (head) => stderrBlocks.line(head.toString('utf8'), true),
      overflowEnd: () => {},
    });

    const child = spawn(options.command, [...options.args], {
      env: options.env,
      stdio: 'pipe',
      windowsHide: true,
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (child.pid !== undefined) return;
        resolve({
          code: null,
          signal: null,
          error: spawnProblem(options.command, error, 'the command after "--"'),
        });
      });
      child.once('close', (code, signal) => {
        stdoutLines.end();
        stderrLines.end();
        stderrBlocks.flush();
        resolve({ code, signal, error: null });
      });
    });
    void this.#exited.then((exit) => {
      this.#exit = exit;
      capture.note(sessionId, `server process ${child.pid ?? ''} ended (${describeExit(exit)})`);
    });
    child.on('error', () => {});
    child.stdin.on('error', () => {});

    // Client → server: piped (with backpressure); the copy is split into lines for capture.
    input.pipe(child.stdin);
    input.on('data', (chunk: Buffer) => stdinLines.push(chunk));
    input.on('end', () => stdinLines.end());
    // Server → client: written first, recorded after.
    child.stdout.on('data', (chunk: Buffer) => {
      if (!output.write(chunk)) {
        child.stdout.pause();
        output.once('drain', () => child.stdout.resume());
      }
      stdoutLines.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errorOutput.write(chunk);
      stderrLines.push(chunk);
    });
    if (child.pid !== undefined) {
      capture.note(
        sessionId,
        `wrap started ${[options.command, ...options.args].join(' ')} (pid ${child.pid})`,
      );
    }
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Resolves when the server process has ended (or could not start). */
  get exited(): Promise<ChildExit> {
    return this.#exited;
  }

  /** Shuts the server down on the client's behalf (the client went away, or signalled `wrap`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ChildExit> {
    if (this.#exit) return this.#exit;
    this.#options.input.unpipe(this.#child.stdin);
    return shutDown(this.#child, this.#exited, this.#options.graceMs ?? STDIO_LIMITS.stopGraceMs, { signal });
  }
}
