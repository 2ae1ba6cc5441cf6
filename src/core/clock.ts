import { performance } from 'node:perf_hooks';

/** Wall-clock time in milliseconds with sub-millisecond precision, so short durations are not rounded to 0. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
