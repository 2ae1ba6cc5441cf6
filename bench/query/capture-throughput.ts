import { existsSync } from 'node:fs';
import type * as CaptureQueueModule from '../../src/capture/capture-queue.js';
import type { CapturePolicy } from '../../src/capture/policy.js';
import type * as ExchangeCaptureModule from '../../src/proxy/exchange-capture.js';
import type { StoreKey } from '../../src/store/cipher.js';
import { emitExchange } from './emit-exchange.js';
import { threadCpu, threadCpuSince } from './thread-cpu.js';
import type { TrafficGenerator } from './traffic.js';

const QUEUE_BYTES = 64 * 1024 * 1024;
/** Exchanges captured before the clock starts, so the figure is the warm path's, not the JIT's first minutes. */
const WARMUP_EXCHANGES = 2_000;

export interface Throughput {
  messages: number;
  seconds: number;
  perSecond: number;
  dropped: number;
  storeFailures: number;
  /** CPU time of the whole process meanwhile (the emitting thread, the capture worker, GC), in seconds. */
  cpuSeconds: number;
  /**
   * CPU seconds per thread meanwhile (Linux): the emitting (proxy) thread, and the others busiest first
   * (the capture worker and its writer thread, then GC helpers). The busiest thread bounds the rate a
   * machine with free cores sustains, however busy this one was.
   */
  threads: { main: number; others: number[] };
}

/**
 * The capture path as it ships: the built gateway's (dist/, which `npm run bench` builds first), so that
 * the capture worker and writer threads run the compiled JavaScript. From the TypeScript sources they would
 * load through tsx, whose transform keeps function names by calling a helper for every closure made
 * (esbuild's keepNames): work on capture's hot path that the product does not do. The sources are the
 * fallback when nothing is built.
 */
async function capturePath(): Promise<{
  CaptureQueue: typeof CaptureQueueModule.CaptureQueue;
  ExchangeCapture: typeof ExchangeCaptureModule.ExchangeCapture;
}> {
  const built = new URL('../../dist/capture/capture-queue.js', import.meta.url);
  const root = existsSync(built) ? '../../dist' : '../../src';
  const queue = (await import(`${root}/capture/capture-queue.js`)) as typeof CaptureQueueModule;
  const exchange = (await import(`${root}/proxy/exchange-capture.js`)) as typeof ExchangeCaptureModule;
  return { CaptureQueue: queue.CaptureQueue, ExchangeCapture: exchange.ExchangeCapture };
}

/**
 * Capture throughput through the real path: the proxy's ExchangeCapture emits into the CaptureQueue, which
 * batches events to the capture worker (assemble, redact, describe, store with FTS and running totals).
 * Exchanges are prepared before the clock starts, and the threads are warmed up by WARMUP_EXCHANGES first;
 * emitting pauses while the queue is over half full, as sustained traffic would be paced by the network, so
 * nothing is dropped and the figure is what the worker sustains.
 */
export async function measureCaptureThroughput(
  databasePath: string,
  traffic: TrafficGenerator,
  exchanges: number,
  policy?: CapturePolicy,
  key: StoreKey | null = null,
): Promise<Throughput> {
  const { CaptureQueue, ExchangeCapture } = await capturePath();
  const prepare = (count: number) =>
    Array.from({ length: count }, () => {
      const exchange = traffic.next();
      return {
        exchange,
        body: Buffer.from(JSON.stringify(exchange.request)),
        answer: exchange.response ? new TextEncoder().encode(JSON.stringify(exchange.response)) : null,
      };
    });
  const warmup = prepare(WARMUP_EXCHANGES);
  const prepared = prepare(exchanges);
  const queue = new CaptureQueue({
    store: key ? { kind: 'sqlite', path: databasePath, key } : { kind: 'sqlite', path: databasePath },
    maxMessageBytes: 8 * 1024 * 1024,
    queueBytes: QUEUE_BYTES,
    ...(policy ? { policy } : {}),
    log: () => {},
  });
  const emit = async (exchanges: typeof prepared) => {
    for (const { exchange, body, answer } of exchanges) {
      while (queue.stats().queuedBytes > QUEUE_BYTES / 2) await new Promise((r) => setTimeout(r, 2));
      emitExchange(new ExchangeCapture(queue, 8 * 1024 * 1024), exchange, body, answer);
    }
  };
  await queue.start();
  // A running gateway's capture threads have compiled their hot code long before: the clock starts once a
  // first stretch of traffic has been captured and written.
  await emit(warmup);
  await queue.flush();
  const before = queue.stats().captured;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const threadsBefore = threadCpu();
  await emit(prepared);
  await queue.flush();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const threads = threadCpuSince(threadsBefore);
  const stats = queue.stats();
  await queue.close();
  const messages = stats.captured - before;
  return {
    messages,
    seconds,
    perSecond: messages / seconds,
    dropped: stats.dropped,
    storeFailures: stats.storeFailures,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    threads,
  };
}
