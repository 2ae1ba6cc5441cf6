import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database.js';
import type { LogReads } from './log-reads.js';
import type { LogStore } from './log-store.js';
import { textReads } from './read-text.js';
import type { ReadAnswer, ReadCall, ReaderSettings } from './reader-protocol.js';
import { recordQueries } from './record-queries.js';
import { statsQuery } from './stats-query.js';
import { summaryQueries } from './summary-queries.js';

/**
 * A reader thread: answers the store's heavy reads (reader-pool.ts) on its own read-only connection. In
 * WAL mode readers never wait for the capture writer, and the writer never waits for them.
 */
const port = parentPort;
if (!port) throw new Error('reader-entry must run in a worker thread');
const settings = workerData as ReaderSettings;
const send = (message: ReadAnswer, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

if (settings.niceness !== undefined) {
  // On Linux a nice value belongs to a thread, and setpriority(2) with pid 0 (libuv's uv_os_setpriority)
  // changes only the calling one: this reader yields the CPU to the proxy's thread and the capture
  // writer when they have work, and still has it whenever they are idle. Elsewhere it may renice the
  // whole process or be refused: a reader at normal priority still answers.
  try {
    setPriority(0, settings.niceness);
  } catch {
    // Not allowed here (a platform without per-thread priorities, or a sandbox): read at normal priority.
  }
}

const db = openDatabase(settings.databasePath, { readonly: true, key: settings.databaseKey });
const queries = { ...recordQueries(db), ...summaryQueries(db), ...statsQuery(db) };
const store = { ...queries, ...textReads(queries) } as Pick<
  LogStore,
  Exclude<keyof LogReads, `${string}Text`>
> &
  ReturnType<typeof textReads>;

/** The buffer of text an answer carries, moved to the main thread instead of copied. */
function transferable(value: unknown): ArrayBuffer[] {
  const bytes = value instanceof Uint8Array ? value : (value as { bytes?: unknown } | null)?.bytes;
  if (!(bytes instanceof Uint8Array)) return [];
  const { buffer } = bytes;
  const whole = bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength;
  return whole && buffer instanceof ArrayBuffer ? [buffer] : [];
}

port.on('message', (call: ReadCall) => {
  try {
    const read = store[call.method] as (...args: unknown[]) => unknown;
    const value = read(...call.args);
    send({ type: 'answer', id: call.id, value }, transferable(value));
  } catch (error) {
    send({ type: 'failed', id: call.id, message: (error as Error).message });
  }
});
send({ type: 'ready' });
