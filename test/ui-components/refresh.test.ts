import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { paced } from '../../ui/src/refresh.js';

/** A run that the test finishes by hand, to hold it "in flight". */
function runs() {
  const started: (() => void)[] = [];
  const run = () =>
    new Promise<void>((resolve) => {
      started.push(resolve);
    });
  return { run, started };
}

describe('paced refreshes', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs at once when idle, then at most once per interval however many events come', async () => {
    const { run, started } = runs();
    const refresh = paced(run, 1000);
    refresh.request();
    expect(started).toHaveLength(1);
    started[0]?.();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 20; i++) {
      refresh.request();
      await vi.advanceTimersByTimeAsync(40);
    }
    expect(started).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(started).toHaveLength(2);
  });

  it('never starts while its previous run is in flight, and serves what was asked meanwhile once it ends', async () => {
    const { run, started } = runs();
    const refresh = paced(run, 100);
    refresh.request();
    await vi.advanceTimersByTimeAsync(5_000);
    refresh.request();
    refresh.request();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(started).toHaveLength(1);
    started[0]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toHaveLength(2);
    started[1]?.();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(started).toHaveLength(2);
  });

  it('goes on after a failed run, and runs nothing once cancelled', async () => {
    let calls = 0;
    const refresh = paced(() => {
      calls++;
      return Promise.reject(new Error('offline'));
    }, 100);
    refresh.request();
    await vi.advanceTimersByTimeAsync(150);
    refresh.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(2);
    refresh.request();
    refresh.cancel();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(2);
  });
});
