import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { sqliteWriterBackend } from './sqlite-writer-backend.js';
import type { WriterBackend } from './writer-backend.js';
import type { FromWriter, ToWriter, WriterSettings } from './writer-protocol.js';

/**
 * The writer thread: stores what the capture worker assembled, described and redacted, in the gateway's
 * store (logs.db, or a shared PostgreSQL database), so storing runs beside the capture worker's JavaScript
 * on a core of its own, a batch apart.
 */

if (!parentPort) throw new Error('writer-entry must run in a worker thread');
const port: MessagePort = parentPort;
const settings = workerData as WriterSettings;
const send = (message: FromWriter) => port.postMessage(message);

let lastProblem = '';
const problem = (message: string) => {
  // The same failure repeating (a full disk) is reported once, not once per batch.
  if (message === lastProblem) return;
  lastProblem = message;
  send({ type: 'problem', message });
};

const { store } = settings;
// The PostgreSQL driver is loaded only by a gateway that uses it.
const backend: WriterBackend =
  store.kind === 'postgres'
    ? await (await import('./postgres/writer-backend.js')).postgresWriterBackend(
        { ...settings, store },
        problem,
      )
    : sqliteWriterBackend({ ...settings, store }, problem);

/** How often a store that can be away (PostgreSQL) is asked whether writing works, for /api/status. */
const OUTAGE_POLL_MS = 250;
const poll = backend.outage?.bind(backend);
if (poll) {
  let last: string | null = null;
  setInterval(() => {
    const error = poll();
    if (error === last) return;
    last = error;
    send({ type: 'store-state', error });
  }, OUTAGE_POLL_MS).unref();
}

function control(message: Exclude<ToWriter, { type: 'batch' }>): void {
  switch (message.type) {
    case 'sync':
      backend.sync(({ lost, error }) => send({ type: 'synced', token: message.token, lost, error }));
      break;
    case 'close':
      void backend
        .close()
        .catch((error: unknown) => problem(`closing the store failed: ${(error as Error).message}`))
        .finally(() => {
          send({ type: 'closed' });
          port.close();
        });
      break;
  }
}

port.on('message', (message: ToWriter) => {
  if (message.type !== 'batch') {
    control(message);
    return;
  }
  backend.write(message);
});
send({ type: 'ready', ...(backend.toolLists ? { toolLists: backend.toolLists } : {}) });
