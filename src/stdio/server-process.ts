import { type ChildExit, type SpawnFunction, StdioChild } from './child-process.js';
import type { Router } from './router.js';
import { StderrBlocks } from './stderr-blocks.js';
import type { StderrRing } from './stderr-ring.js';
import type { StdioCapture } from './stdio-capture.js';
import { type ResolvedStdioConfig, STDIO_LIMITS } from './stdio-config.js';

export interface ServerProcessOptions {
  config: ResolvedStdioConfig;
  capture: StdioCapture;
  stderr: StderrRing;
  router: Router;
  /** The session whose timeline holds this process's output and notes (shared mode: none, see logSession). */
  sessionId: string | null;
  onExit(child: StdioChild, exit: ChildExit): void;
  spawn?: SpawnFunction;
}

/**
 * Starts a stdio server process wired to the gateway: stdout lines go to the router, stderr lines to the
 * ring and the store (MCP Transports, stdio: the server MAY write logs to stderr), and a line too long to
 * forward is recorded as cut.
 */
export function startServerProcess(options: ServerProcessOptions): StdioChild {
  const { config, capture, stderr, router, sessionId } = options;
  const limitBytes = config.maxLineBytes;
  const limitMiB = limitBytes / 1024 / 1024;
  let child: StdioChild | null = null;
  /** The start of the stdout line being skipped, kept until its end tells whose answer it was. */
  let cutHead = '';
  // Which timeline a block goes on is decided when it starts: the session whose calls were in flight then.
  let blockSession: string | null = null;
  const blocks = new StderrBlocks(
    (block) =>
      capture.line(blockSession, 'stderr', block.text, { truncated: block.truncated, time: block.time }),
    STDIO_LIMITS.stderrBlock,
  );
  child = new StdioChild(
    config,
    config.name,
    {
      stdout: (line) => {
        // What the server logged before this message is recorded before it: timelines stay in order.
        blocks.flush();
        router.fromServer(line);
      },
      stdoutOverflow: (head) => {
        cutHead = head.toString('utf8');
        capture.line(sessionId, 'stdout', cutHead, {
          truncated: true,
          note: `not forwarded: a stdout line longer than ${limitMiB} MiB ("maxLineMb") was cut here and skipped to its end`,
        });
      },
      stdoutOverflowEnd: (totalBytes, tail) => {
        const head = cutHead;
        cutHead = '';
        router.tooLong({ totalBytes, limitBytes, head, tail: tail.toString('utf8') });
      },
      stderr: (line, truncated) => {
        stderr.push({ time: Date.now(), line, truncated, pid: child?.pid ?? null });
        if (blocks.empty) blockSession = sessionId ?? router.logSession();
        blocks.line(line, truncated);
      },
      exit: (exit) => {
        // Its last words go on the timeline before its exit does.
        blocks.flush();
        if (child) options.onExit(child, exit);
      },
    },
    options.spawn,
  );
  return child;
}
