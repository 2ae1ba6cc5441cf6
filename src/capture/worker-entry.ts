import { parentPort, workerData } from 'node:worker_threads';
import { openDatabaseOrStartFresh } from '../store/database.js';
import { SqliteRecordSink } from '../store/record-writer.js';
import { RETENTION_FIRST_RUN_MS, RETENTION_INTERVAL_MS, Retention } from '../store/retention.js';
import { Recorder } from './recorder.js';
import type { FromWorker, ToWorker, WorkerSettings } from './worker-protocol.js';

/**
 * The capture worker: parses, describes and stores what the proxy saw, on its own thread, so the proxy
 * never waits for SQLite or JSON parsing of large payloads.
 */

const port = parentPort;
if (!port) throw new Error('worker-entry must run in a worker thread');
const settings = workerData as WorkerSettings;
const send = (message: FromWorker) => port.postMessage(message);

let storeFailures = 0;
let lastProblem = '';
const problem = (message: string) => {
  // The same failure repeating (a full disk) is reported once, not once per record.
  if (message === lastProblem) return;
  lastProblem = message;
  send({ type: 'problem', message });
};
const db = openDatabaseOrStartFresh(settings.databasePath, { key: settings.databaseKey ?? null }, problem);
const recorder = new Recorder({
  sink: new SqliteRecordSink(db),
  maxMessageBytes: settings.maxMessageBytes,
  ...(settings.policy ? { policy: settings.policy } : {}),
  onStoreFailure: (error) => {
    storeFailures++;
    problem(`could not store a captured message: ${(error as Error).message}`);
  },
  onListenerError: (listener, error) =>
    problem(`capture step "${listener}" failed: ${(error as Error).stack ?? error}`),
});

// Pruning runs here, between capture batches on the one writer connection: it never waits for the
// capture writer's lock, and capture waits at most one small delete transaction.
const retention = settings.retention ? new Retention(db, settings.retention) : null;
if (retention?.enabled) {
  const prune = () =>
    retention
      .run()
      .catch((error: unknown) => problem(`pruning old records failed: ${(error as Error).message}`));
  setTimeout(prune, RETENTION_FIRST_RUN_MS).unref();
  setInterval(prune, RETENTION_INTERVAL_MS).unref();
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'events': {
      // A batch is one transaction: when its commit fails (a full disk), none of its records were stored,
      // so the tally goes back to what it was and those records count as failed, not captured.
      const before = structuredClone(recorder.tally);
      try {
        recorder.record(message.events);
      } catch (error) {
        storeFailures += Math.max(1, recorder.tally.messages - before.messages);
        Object.assign(recorder.tally, before);
        problem(`could not store captured messages: ${(error as Error).message}`);
      }
      send({
        type: 'ack',
        events: message.events.length,
        bytes: message.bytes,
        tally: recorder.tally,
        storeFailures,
      });
      break;
    }
    case 'configure':
      recorder.configure(message.policy);
      break;
    case 'flush':
      send({ type: 'flushed', token: message.token });
      break;
    case 'close':
      retention?.stop();
      db.close();
      send({ type: 'closed' });
      port.close();
      break;
  }
});
send({ type: 'ready' });
