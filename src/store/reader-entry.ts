import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database.js';
import type { LogReads } from './log-reads.js';
import type { LogStore } from './log-store.js';
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
const send = (message: ReadAnswer) => port.postMessage(message);

const db = openDatabase(settings.databasePath, { readonly: true, key: settings.databaseKey });
const store = { ...recordQueries(db), ...summaryQueries(db), ...statsQuery(db) } as Pick<
  LogStore,
  keyof LogReads
>;

port.on('message', (call: ReadCall) => {
  try {
    const read = store[call.method] as (...args: unknown[]) => unknown;
    send({ type: 'answer', id: call.id, value: read(...call.args) });
  } catch (error) {
    send({ type: 'failed', id: call.id, message: (error as Error).message });
  }
});
send({ type: 'ready' });
