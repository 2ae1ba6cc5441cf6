import { Pool } from 'undici';
import { type Target, toolCall } from '../proxy/load.js';
import { percentile } from '../suite.js';

/** A call that has not answered in this long has failed, as it would have for a client. */
const CALL_TIMEOUT_MS = 30_000;

export interface LoadResult {
  sent: number;
  /** Calls answered with HTTP 200 and a JSON-RPC result. */
  ok: number;
  failed: number;
  /** The first few distinct failures, with how often each happened. */
  failures: Map<string, number>;
  /** Milliseconds from when each call was due to its last byte, sorted. */
  latencies: number[];
  /** Milliseconds from the first call due to the last answer. */
  elapsedMs: number;
  /** Calls answered per second over `elapsedMs`. */
  achievedPerSecond: number;
  p50: number;
  p99: number;
  max: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One tools/call, read to its end; throws with what went wrong. */
async function call(pool: Pool, target: Target): Promise<void> {
  const response = await pool.request({
    path: target.path,
    method: 'POST',
    headers: target.headers,
    body: toolCall('echo', { message: 'steady load' }),
    headersTimeout: CALL_TIMEOUT_MS,
    bodyTimeout: CALL_TIMEOUT_MS,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 400)}`);
  // server-everything answers over SSE or JSON; either way the echo comes back as a result.
  if (!text.includes('"result"') || !text.includes('Echo: steady load')) {
    throw new Error(`no echo result: ${text.slice(0, 120)}`);
  }
}

/**
 * Open-loop load: `perSecond` echo calls for `seconds`, each sent when it is due whatever the others are
 * doing, so a stall in the gateway shows as latency (measured from when the call was due, not from when
 * it left) rather than as fewer calls, which is what a closed loop would hide. Count-bounded:
 * exactly `perSecond * seconds` calls, each given up after 30 s.
 */
export async function openLoop(target: Target, perSecond: number, seconds: number): Promise<LoadResult> {
  const pool = new Pool(target.origin, { connections: 64, pipelining: 1, keepAliveTimeout: 60_000 });
  const total = Math.round(perSecond * seconds);
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let failed = 0;
  const started = performance.now();
  let lastAnswer = started;
  const inflight: Promise<void>[] = [];
  try {
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0.5) await sleep(wait);
      inflight.push(
        call(pool, target).then(
          () => {
            lastAnswer = performance.now();
            latencies.push(lastAnswer - due);
          },
          (error: Error) => {
            failed++;
            // Failures that differ only by their JSON-RPC id are one failure.
            const reason = error.message.replace(/"id":\d+/g, '"id":…').slice(0, 400);
            if (failures.size < 5 || failures.has(reason))
              failures.set(reason, (failures.get(reason) ?? 0) + 1);
          },
        ),
      );
    }
    await Promise.all(inflight);
  } finally {
    await pool.close();
  }
  return summarize(total, latencies, failed, failures, lastAnswer - started);
}

function summarize(
  sent: number,
  latencies: number[],
  failed: number,
  failures: Map<string, number>,
  elapsedMs: number,
): LoadResult {
  latencies.sort((a, b) => a - b);
  return {
    sent,
    ok: latencies.length,
    failed,
    failures,
    latencies,
    elapsedMs,
    achievedPerSecond: (latencies.length * 1000) / elapsedMs,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? Number.NaN,
  };
}

/** Several runs as one: every call's latency, failure and time counted together. */
export function mergeLoads(runs: readonly LoadResult[]): LoadResult {
  const failures = new Map<string, number>();
  for (const run of runs) {
    for (const [reason, n] of run.failures) failures.set(reason, (failures.get(reason) ?? 0) + n);
  }
  return summarize(
    runs.reduce((sum, run) => sum + run.sent, 0),
    runs.flatMap((run) => run.latencies),
    runs.reduce((sum, run) => sum + run.failed, 0),
    failures,
    runs.reduce((sum, run) => sum + run.elapsedMs, 0),
  );
}
