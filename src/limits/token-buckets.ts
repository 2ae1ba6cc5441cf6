import { now } from '../core/clock.js';
import type { Rate } from './rate.js';

interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * One token bucket per key (a token's name, a client address): each holds up to `rate.requests` tokens
 * and refills at `requests / per`, so a client may burst up to the limit and then goes at the average
 * rate. At most `maxKeys` buckets are kept; when a new key would pass that, full buckets (keys that have
 * been quiet for a whole period, which a fresh bucket would equal) go first, then the oldest.
 */
export class TokenBuckets {
  readonly rate: Rate;
  readonly #perToken: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(rate: Rate, options: { maxKeys?: number; now?: () => number } = {}) {
    this.rate = rate;
    this.#perToken = rate.perMs / rate.requests;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? now;
  }

  get size(): number {
    return this.#buckets.size;
  }

  /**
   * Takes `count` tokens for `key`: 0 when they were there (the request may go), else the milliseconds
   * until they will be (nothing is taken then: a refused request costs the client nothing more).
   */
  take(key: string, count = 1): number {
    const time = this.#now();
    const capacity = this.rate.requests;
    let bucket = this.#buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(capacity, bucket.tokens + (time - bucket.updated) / this.#perToken);
      bucket.updated = time;
    } else {
      bucket = { tokens: capacity, updated: time };
      this.#remember(key, bucket, time);
    }
    // A batch larger than the whole bucket could never go: it is judged as a full bucket's worth.
    const needed = Math.min(count, capacity);
    if (bucket.tokens >= needed) {
      bucket.tokens -= needed;
      return 0;
    }
    return Math.ceil((needed - bucket.tokens) * this.#perToken);
  }

  /** Gives back tokens taken for a request that was refused after all (by another limit). */
  refund(key: string, count = 1): void {
    const bucket = this.#buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.rate.requests, bucket.tokens + count);
  }

  #remember(key: string, bucket: Bucket, time: number): void {
    if (this.#buckets.size >= this.#maxKeys) {
      for (const [old, value] of this.#buckets) {
        if (time - value.updated >= this.rate.perMs) this.#buckets.delete(old);
      }
      const oldest = this.#buckets.keys().next();
      if (this.#buckets.size >= this.#maxKeys && !oldest.done) this.#buckets.delete(oldest.value);
    }
    this.#buckets.set(key, bucket);
  }
}

/** Retry-After (RFC 9110 §10.2.3) is whole seconds; never 0, which would invite an immediate retry. */
export function retryAfterSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}
