import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { CaptureQueue } from '../capture/capture-queue.js';
import { captureSettings, resolveStorageDir, resolveStoreKey } from '../config/options.js';
import type { CaptureSink } from '../core/capture-events.js';
import { DEFAULT_REDACTION, type RedactionPolicy } from '../redaction/policy.js';
import { parseRegistryText } from '../registry/schema.js';
import { StdioRelay } from '../stdio/relay.js';
import { StdioCapture } from '../stdio/stdio-capture.js';
import { prepareStorageDir } from '../storage/storage-dir.js';
import { ConversionInProgressError, markForWrap, type WrapMark } from '../storage/wrap-lock.js';
import { openDatabaseOrStartFresh } from '../store/database.js';
import { nameFromCommand } from './wrap-name.js';

export interface WrapOptions {
  name?: string;
  storageDir?: string;
  /** A file holding the passphrase of an encrypted logs.db (else MCP_GATEWAY_DB_KEY). */
  dbKeyFile?: string;
  command: string;
  args: string[];
}

export interface WrapIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** How long the last captures may take to reach the database once the server has exited. */
const FINAL_FLUSH_MS = 15_000;

/** Opens capture into the storage dir's logs.db; any problem turns capture off, never the server. */
async function openCapture(
  storageDir: string,
  keyFile: string | undefined,
  env: NodeJS.ProcessEnv,
  log: (message: string) => void,
): Promise<CaptureQueue | null> {
  try {
    const key = resolveStoreKey(keyFile, env, undefined, { storageDir });
    const paths = prepareStorageDir(storageDir, log);
    // The gateway migrates at startup; without a gateway running, wrap may be the first to open the file.
    openDatabaseOrStartFresh(paths.database, { migrate: true, key }, log).close();
    const settings = captureSettings();
    const queue = new CaptureQueue({
      store: key ? { kind: 'sqlite', path: paths.database, key } : { kind: 'sqlite', path: paths.database },
      ...settings,
      policy: { redaction: redactionSettings(paths.registry, log) },
      log,
    });
    queue.start().catch((error: Error) => log(`capture is off: ${error.message}; the server still runs`));
    return queue;
  } catch (error) {
    log(`capture is off: ${(error as Error).message}; the server still runs`);
    return null;
  }
}

/**
 * The `redaction` block of the storage dir's mcp.json, which the gateway on the same dir applies too;
 * the default (redact) when there is no file or it cannot be used.
 */
function redactionSettings(registryPath: string, log: (message: string) => void): RedactionPolicy {
  let text: string;
  try {
    text = readFileSync(registryPath, 'utf8');
  } catch {
    return DEFAULT_REDACTION;
  }
  const parsed = parseRegistryText(text);
  if (parsed.ok) return parsed.document.redaction;
  log(`${registryPath} is invalid, so captures use the default redaction: ${parsed.problems.join('; ')}`);
  return DEFAULT_REDACTION;
}

function exitCodeOf(exit: {
  code: number | null;
  signal: NodeJS.Signals | null;
  error: string | null;
}): number {
  if (exit.error) return 127;
  if (exit.code !== null) return exit.code;
  const number = exit.signal ? constants.signals[exit.signal] : undefined;
  return number ? 128 + number : 1;
}

/**
 * `mcp-gateway wrap`: runs a stdio server for a stdio client and records the session in logs.db, with
 * or without a gateway running on the same storage dir (SQLite in WAL mode takes both writers). Only the
 * server's output goes to stdout; the gateway's own remarks go to stderr, prefixed. Resolves with the
 * exit code to end with: the server's.
 */
export async function runWrap(
  options: WrapOptions,
  io: WrapIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const log = (message: string) => io.stderr.write(`mcp-gateway wrap: ${message}\n`);
  const name = options.name ?? nameFromCommand(options.command, options.args);
  const storageDir = resolveStorageDir(options.storageDir, env);
  try {
    prepareStorageDir(storageDir, log);
  } catch {
    // Said again, and turned into "capture is off", when openCapture prepares it below.
  }
  let mark: WrapMark;
  try {
    // Before logs.db is opened: a conversion about to replace it would leave this wrap writing into the
    // old file. Its client waits a moment longer for the server; it gets no server rather than a lossy one.
    mark = await markForWrap(storageDir, {
      onWait: (holder) => log(`waiting for ${holder.task} (pid ${holder.pid}) to finish converting logs.db`),
    });
  } catch (error) {
    if (!(error instanceof ConversionInProgressError)) throw error;
    log(error.message);
    return 1;
  }
  const queue = await openCapture(storageDir, options.dbKeyFile, env, log);
  const sink: CaptureSink = queue ?? { emit: () => false };
  const relay = new StdioRelay({
    command: options.command,
    args: options.args,
    env,
    input: io.stdin,
    output: io.stdout,
    errorOutput: io.stderr,
    capture: new StdioCapture(sink, name, captureSettings().maxMessageBytes),
    sessionId: randomUUID(),
  });
  const stop = (signal?: NodeJS.Signals) => void relay.stop(signal);
  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  // MCP lifecycle, stdio shutdown: the client closes stdin; a server that does not exit gets signals.
  io.stdin.once('end', () => stop());
  // The client went away (EPIPE): nobody reads the server any more.
  io.stdout.on('error', () => stop());

  const exit = await relay.exited;
  if (exit.error) log(exit.error);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, onSignal);
  if (queue) {
    const flushed = queue.close().then(() => true);
    const late = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), FINAL_FLUSH_MS).unref());
    if (!(await Promise.race([flushed, late])))
      log('the last captured messages could not be written in time');
  }
  mark.release();
  return exitCodeOf(exit);
}
