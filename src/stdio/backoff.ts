/**
 * Restart delays for a crashing server: 0.5 s, 1 s, 2 s, ... up to 30 s. A process that ran for a minute
 * counts as healthy again, so a server that crashes once a day restarts at once every time.
 */
export const BACKOFF = { firstMs: 500, maxMs: 30_000, healthyAfterMs: 60_000 } as const;

export class Backoff {
  #failures = 0;

  /** The delay before the next restart, given how long the process ran before it crashed. */
  next(ranForMs: number): number {
    if (ranForMs >= BACKOFF.healthyAfterMs) this.#failures = 0;
    const delay = Math.min(BACKOFF.maxMs, BACKOFF.firstMs * 2 ** this.#failures);
    this.#failures++;
    return delay;
  }

  reset(): void {
    this.#failures = 0;
  }
}
