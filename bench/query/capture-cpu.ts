import type { CapturePolicy } from '../../src/capture/policy.js';
import { Recorder } from '../../src/capture/recorder.js';
import type { CaptureEvent } from '../../src/core/capture-events.js';
import { ExchangeCapture } from '../../src/proxy/exchange-capture.js';
import type { StoreKey } from '../../src/store/cipher.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteRecordSink } from '../../src/store/record-writer.js';
import { emitExchange } from './emit-exchange.js';
import type { TrafficGenerator } from './traffic.js';

const MAX_BYTES = 8 * 1024 * 1024;
const BATCH = 1024;

export interface CpuThroughput {
  messages: number;
  cpuSeconds: number;
  /** Messages per second of CPU time: what one core sustains, however busy the machine is. */
  perCpuSecond: number;
}

/** The capture events the proxy would emit for `exchanges` exchanges of `traffic`. */
export function captureEvents(traffic: TrafficGenerator, exchanges: number): CaptureEvent[] {
  const events: CaptureEvent[] = [];
  const sink = { emit: (event: CaptureEvent) => events.push(event) > 0 };
  for (let i = 0; i < exchanges; i++) {
    const exchange = traffic.next();
    const answer = exchange.response ? new TextEncoder().encode(JSON.stringify(exchange.response)) : null;
    emitExchange(
      new ExchangeCapture(sink, MAX_BYTES),
      exchange,
      Buffer.from(JSON.stringify(exchange.request)),
      answer,
    );
  }
  return events;
}

/**
 * The capture worker's work (assemble, redact, describe, store with FTS and totals) run on this thread and
 * timed in CPU time, so that the figure holds on a machine shared with other work, where wall-clock rates
 * mostly measure the wait for a core.
 */
export function measureCaptureCpu(
  databasePath: string,
  events: readonly CaptureEvent[],
  policy: CapturePolicy,
  key: StoreKey | null = null,
): CpuThroughput {
  const db = openDatabase(databasePath, { key });
  let failures = 0;
  const recorder = new Recorder({
    sink: new SqliteRecordSink(db),
    maxMessageBytes: MAX_BYTES,
    policy,
    onStoreFailure: () => failures++,
    onListenerError: (listener, error) => {
      throw new Error(`${listener}: ${(error as Error).message}`);
    },
  });
  const before = process.cpuUsage();
  for (let i = 0; i < events.length; i += BATCH) recorder.record(events.slice(i, i + BATCH));
  const used = process.cpuUsage(before);
  db.close();
  if (failures > 0) throw new Error(`${failures} records were not stored`);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const messages = recorder.tally.messages;
  return { messages, cpuSeconds, perCpuSecond: messages / cpuSeconds };
}
