import { performance } from 'node:perf_hooks';

/** Read once: the getter costs a native call, and the proxy stamps several times per request. */
const ORIGIN = performance.timeOrigin;

/**
 * Wall-clock time in milliseconds with sub-millisecond precision, so short durations are not rounded to 0.
 * Monotonic within a thread (`performance.now()` never goes back), and about 60 ns a call.
 */
export function now(): number {
  return ORIGIN + performance.now();
}
