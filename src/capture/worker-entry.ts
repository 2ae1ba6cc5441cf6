import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { openDatabaseOrStartFresh } from '../store/database.js';
import { SqliteRecordSink } from '../store/record-writer.js';
import { RETENTION_FIRST_RUN_MS, RETENTION_INTERVAL_MS, Retention } from '../store/retention.js';
import { sqliteToolLists } from '../store/tool-lists.js';
import { OperationTally } from '../telemetry/operation-tally.js';
import { OtelExport, type Peer } from '../telemetry/otel-export.js';
import { metricsListener } from './listeners/metrics.js';
import { otelListener } from './listeners/otel.js';
import { Recorder } from './recorder.js';
import type { FromWorker, ToWorker, WorkerSettings } from './worker-protocol.js';

/**
 * The capture worker: parses, describes and stores what the proxy saw, on its own thread, so the proxy
 * never waits for SQLite or JSON parsing of large payloads.
 */

if (!parentPort) throw new Error('worker-entry must run in a worker thread');
const port: MessagePort = parentPort;
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
// Counts for /metrics are always kept (a few numbers per server and method); spans only when asked for.
const operations = new OperationTally();
let peers: Record<string, Peer> = settings.peers ?? {};
const otel = settings.otlp
  ? new OtelExport(settings.otlp, (message) => send({ type: 'problem', message }))
  : null;
if (otel) {
  // Exports finish (or fail) on their own time: the counts go out when they change, not only with acks.
  let last = '';
  setInterval(() => {
    const counts = otel.counts();
    const text = JSON.stringify(counts);
    if (text === last) return;
    last = text;
    send({ type: 'telemetry', telemetry: counts });
  }, 1000).unref();
}
/** Drift detection needs migration 9; a store without it still captures, without comparing tool lists. */
function toolLists() {
  try {
    return sqliteToolLists(db);
  } catch (error) {
    problem(`tool-list changes are not recorded: ${(error as Error).message}`);
    return undefined;
  }
}
const lists = toolLists();
const recorder = new Recorder({
  sink: new SqliteRecordSink(db),
  maxMessageBytes: settings.maxMessageBytes,
  ...(settings.policy ? { policy: settings.policy } : {}),
  ...(lists ? { toolLists: lists } : {}),
  onToolListChanged: (change) => send({ type: 'tool-list-changed', change }),
  onStoreFailure: (error) => {
    storeFailures++;
    problem(`could not store a captured message: ${(error as Error).message}`);
  },
  onListenerError: (listener, error) =>
    problem(`capture step "${listener}" failed: ${(error as Error).stack ?? error}`),
  extraListeners: [
    metricsListener(operations),
    ...(otel ? [otelListener(otel, (server) => peers[server] ?? null)] : []),
  ],
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

/**
 * Batches that queued up while the worker was busy are stored together, as one transaction, up to these
 * limits. Under load the proxy sends a batch every few milliseconds (capture-queue.ts); a transaction per
 * batch would then hold a few dozen records, and SQLite's cost per record (the commit, and FTS5 writing
 * each transaction's terms as a new index segment to merge later) nearly halves from 100 records a
 * transaction to 2,000 (bench/RESULTS.md, suite `capture`). When the worker keeps up, nothing waits:
 * each batch is stored as it comes.
 */
const COALESCE_EVENTS = 4096;
const COALESCE_BYTES = 16 * 1024 * 1024;

type EventsMessage = Extract<ToWorker, { type: 'events' }>;

function store(batches: readonly EventsMessage[]): void {
  const events =
    batches.length === 1 ? (batches[0] as EventsMessage).events : batches.flatMap((b) => b.events);
  let bytes = 0;
  for (const batch of batches) bytes += batch.bytes;
  // A batch is one transaction: when its commit fails (a full disk), none of its records were stored,
  // so the tally goes back to what it was and those records count as failed, not captured.
  const before = structuredClone(recorder.tally);
  try {
    recorder.record(events);
  } catch (error) {
    storeFailures += Math.max(1, recorder.tally.messages - before.messages);
    Object.assign(recorder.tally, before);
    problem(`could not store captured messages: ${(error as Error).message}`);
  }
  send({
    type: 'ack',
    events: events.length,
    bytes,
    tally: recorder.tally,
    storeFailures,
    metrics: operations.take(),
    telemetry: otel?.counts() ?? null,
  });
}

function control(message: Exclude<ToWorker, EventsMessage>): void {
  switch (message.type) {
    case 'configure':
      recorder.configure(message.policy);
      break;
    case 'peers':
      peers = message.peers;
      break;
    case 'flush':
      send({ type: 'flushed', token: message.token });
      break;
    case 'close':
      retention?.stop();
      db.close();
      // Spans still queued get a short, bounded chance to reach the collector (otel.ts).
      void recorder.done().finally(() => {
        send({ type: 'closed' });
        port.close();
      });
      break;
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type !== 'events') {
    control(message);
    return;
  }
  // Takes the batches already waiting, in order; a control message among them is handled after the
  // events sent before it are stored, as it would have been one message at a time.
  const batches = [message];
  let events = message.events.length;
  let bytes = message.bytes;
  let after: Exclude<ToWorker, EventsMessage> | undefined;
  while (events < COALESCE_EVENTS && bytes < COALESCE_BYTES) {
    const next = receiveMessageOnPort(port)?.message as ToWorker | undefined;
    if (!next) break;
    if (next.type !== 'events') {
      after = next;
      break;
    }
    batches.push(next);
    events += next.events.length;
    bytes += next.bytes;
  }
  store(batches);
  if (after) control(after);
});
send({ type: 'ready' });
