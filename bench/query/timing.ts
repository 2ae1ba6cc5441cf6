import { percentile } from '../suite.js';

export interface Timing {
  name: string;
  runs: number;
  p50: number;
  p95: number;
  max: number;
  /** Rows in the last answer, to show the query did find something. */
  rows: number;
  /** Mean size of an answer: serializing and sending big payloads is part of the time. */
  kilobytes: number;
}

/**
 * Times REST calls end to end: request sent, status checked, body read completely. Each path is called
 * once to warm up, then the paths are cycled until `runs` timings are collected.
 */
export async function timeRequests(
  name: string,
  base: string,
  token: string,
  paths: readonly string[],
  runs: number,
): Promise<Timing> {
  const call = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
    return text;
  };
  for (const path of paths) await call(path);
  const times: number[] = [];
  let rows = 0;
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const path = paths[i % paths.length] as string;
    const started = performance.now();
    const text = await call(path);
    times.push(performance.now() - started);
    bytes += Buffer.byteLength(text);
    // Parsed once, after the last call: the gateway runs in this process, and parsing every answer (600 KB
    // of records for a rare word) would leave garbage for its next request to collect, in the timing.
    if (i === runs - 1) {
      const body = JSON.parse(text) as { data?: unknown[]; groups?: unknown[] };
      rows = body.data?.length ?? body.groups?.length ?? 0;
    }
  }
  times.sort((a, b) => a - b);
  return {
    name,
    runs,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: times[times.length - 1] as number,
    rows,
    kilobytes: bytes / runs / 1024,
  };
}
