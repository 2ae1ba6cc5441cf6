import { hostname } from 'node:os';
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database.js';
import { sqliteToolLists } from '../store/tool-lists.js';
import { WriterThread } from '../store/writer-thread.js';
import { writerToolLists } from '../store/writer-tool-lists.js';
import { OperationTally } from '../telemetry/operation-tally.js';
import { OtelExport, type Peer } from '../telemetry/otel-export.js';
import { knownListsStore } from './known-lists.js';
import { metricsListener } from './listeners/metrics.js';
import { otelListener } from './listeners/otel.js';
import { emptyTally, type Tally } from './listeners/tally.js';
import { Recorder } from './recorder.js';
import type { FromWorker, ToWorker, WorkerSettings } from './worker-protocol.js';

/**
 * The capture worker: parses, redacts and describes what the proxy saw, on its own thread, so the proxy
 * never waits for JSON parsing of large payloads; its own writer thread (store/writer-entry.ts) stores the
 * records meanwhile, in SQLite or PostgreSQL, so the JavaScript work and the store's run on two cores at
 * once.
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
const writer = await WriterThread.start(
  {
    store: settings.store,
    instance: settings.instance ?? hostname(),
    ...(settings.retention ? { retention: settings.retention } : {}),
  },
  { problem, storeState: (error) => send({ type: 'store-state', error }) },
);
// The writer stopping is the capture worker failing: the queue reports that capture is off.
writer.onError((error) => {
  throw error;
});
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
/**
 * Tool-list drift reads the last known lists: from SQLite on a connection of its own (the writer thread
 * has migrated the store by now), from PostgreSQL as the writer thread read them at start (known-lists.ts);
 * a store without them (SQLite before migration 9) still captures, without comparing tool lists.
 */
function toolLists() {
  const { store } = settings;
  const preloaded = writer.knownToolLists;
  return writerToolLists(writer, () => {
    if (preloaded) return knownListsStore(preloaded);
    try {
      if (store.kind !== 'sqlite') throw new Error('the store did not give its tool lists');
      return sqliteToolLists(openDatabase(store.path, { key: store.key ?? null }));
    } catch (error) {
      problem(`tool-list changes are not recorded: ${(error as Error).message}`);
      return knownListsStore([]);
    }
  });
}
const lists = toolLists();
const recorder = new Recorder({
  sink: writer,
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

/**
 * Batches that queued up while the worker was busy are stored together, as one transaction, up to these
 * limits. Under load the proxy sends a batch every few milliseconds (capture-queue.ts); a transaction per
 * batch would then hold a few dozen records, and SQLite's cost per record (the commit, and FTS5 writing
 * each transaction's terms as a new index segment to merge later) nearly halves from 100 records a
 * transaction to 2,000 (bench/RESULTS.md, suite `capture`). When the worker keeps up, nothing waits:
 * each batch is stored as it comes.
 *
 * 1,024 events (about 500 records of the benchmark's traffic) rather than 4,096: everything a coalesced
 * batch holds (its events, and each record's message, search text and column values until the batch is
 * handed to the writer thread) lives until it ends, and at 4,096 events that outgrew the 32 MB young
 * generation (capture-queue.ts), so each scavenge copied several MB of it and promoted it to the old
 * generation, which then needed full collections. On the capture suite's real path (19,209 messages,
 * best rounds of interleaved runs) the garbage collector's helper threads went from 0.82–0.85 CPU s to
 * 0.37–0.38, the whole process from 2.59–2.65 to 2.08–2.16; the writer thread's did not grow (0.71–0.75
 * before, 0.63–0.71 after).
 */
const COALESCE_EVENTS = 1024;
const COALESCE_BYTES = 16 * 1024 * 1024;

type EventsMessage = Extract<ToWorker, { type: 'events' }>;

/** What was stored, as the queue counts it: a batch counts once the writer has committed it. */
const stored: Tally = emptyTally();

/** `total` minus `before`, key by key: what one batch added to the recorder's tally. */
function added(total: Tally, before: Tally): Tally {
  const delta = emptyTally();
  delta.messages = total.messages - before.messages;
  delta.errors = total.errors - before.errors;
  for (const [server, n] of Object.entries(total.byServer)) {
    const d = n - (before.byServer[server] ?? 0);
    if (d !== 0) delta.byServer[server] = d;
  }
  for (const [kind, n] of Object.entries(total.byKind) as [keyof Tally['byKind'], number][]) {
    const d = n - (before.byKind[kind] ?? 0);
    if (d !== 0) delta.byKind[kind] = d;
  }
  return delta;
}

function count(delta: Tally): void {
  stored.messages += delta.messages;
  stored.errors += delta.errors;
  for (const [server, n] of Object.entries(delta.byServer))
    stored.byServer[server] = (stored.byServer[server] ?? 0) + n;
  for (const [kind, n] of Object.entries(delta.byKind) as [keyof Tally['byKind'], number][])
    stored.byKind[kind] = (stored.byKind[kind] ?? 0) + n;
}

function store(batches: readonly EventsMessage[]): void {
  const events =
    batches.length === 1 ? (batches[0] as EventsMessage).events : batches.flatMap((b) => b.events);
  let bytes = 0;
  for (const batch of batches) bytes += batch.bytes;
  const before = structuredClone(recorder.tally);
  try {
    recorder.record(events);
  } catch (error) {
    problem(`could not capture messages: ${(error as Error).message}`);
  }
  const delta = added(recorder.tally, before);
  // The queue's budget for these events is freed once they are stored, not merely sent on: the writer's
  // backlog stays within the queue's bound. A batch is one transaction: when its commit fails (a full
  // disk), none of its records were stored, and they count as failed, not captured.
  writer.sync(({ lost, error }) => {
    if (lost > 0) {
      storeFailures += lost;
      problem(`could not store captured messages: ${error}`);
    } else {
      count(delta);
    }
    send({
      type: 'ack',
      events: events.length,
      bytes,
      tally: stored,
      storeFailures,
      metrics: operations.take(),
      telemetry: otel?.counts() ?? null,
    });
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
      writer.sync(() => send({ type: 'flushed', token: message.token }));
      break;
    case 'close':
      // Spans still queued get a short, bounded chance to reach the collector (otel.ts). The writer stores
      // everything sent before this message (within a bounded wait when PostgreSQL is away), then stops.
      void Promise.all([recorder.done(), writer.close()]).finally(() => {
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
