import type { NewRecord } from '../../src/core/record.js';
import { makeRecord } from './records.js';

const HOUR = 3_600_000;

/** A deterministic pseudo-random sequence, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * Three days of exchanges before `now` across servers and methods: requests, answers (some failing, some
 * with tokens), stderr lines. For statistics read from rollups against the same read from the records.
 */
export function statsTraffic(count: number, now: number, seed = 7): NewRecord[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)] as T;
  const records: NewRecord[] = [];
  for (let i = 0; i < count; i++) {
    const time = now - next() * 72 * HOUR;
    const server = pick(['alpha', 'beta', 'gamma']);
    const method = pick(['tools/call', 'tools/list', 'resources/read', 'initialize']);
    const durationMs = next() < 0.02 ? next() * 0.9 : 2 ** (next() * 16);
    const failed = next() < 0.1;
    records.push(makeRecord({ time, server, method, kind: 'request', direction: 'client_to_server' }));
    records.push(
      makeRecord({
        time: time + durationMs,
        server,
        method,
        kind: failed && next() < 0.5 ? 'error' : 'response',
        direction: 'server_to_client',
        durationMs,
        tokens: method === 'tools/call' ? Math.floor(next() * 500) : null,
        errorMessage: failed ? 'tool failed' : null,
        httpStatus: failed && next() < 0.3 ? 500 : 200,
      }),
    );
    if (next() < 0.1)
      records.push(makeRecord({ time, server, method: null, kind: 'stderr', summary: 'log line' }));
  }
  return records;
}
