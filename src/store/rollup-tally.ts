import type { Database } from './database.js';
import { addToHistogram, bucketOf, type Histogram, mergeHistogram } from './latency-histogram.js';
import { ROLLUP_LEVELS_MS, slotStart } from './rollup-levels.js';
import { type Counts, countRecord } from './stats.js';

/** What a record adds to the statistics rollups. */
export interface RollupEntry {
  server: string;
  method: string | null;
  kind: string;
  time: number;
  durationMs: number | null;
  tokens: number | null;
}

interface RollupDelta extends Counts {
  level: number;
  start: number;
  server: string;
  method: string;
  maxMs: number | null;
  histogram: Histogram | null;
}

interface StoredRollup extends Counts {
  maxMs: number | null;
  hist: string;
}

/**
 * Per-slot statistics (rollups), added up in memory during a capture batch and written once per slot at
 * its end, like the session and method totals (summary-tally.ts). The counting rules are the ones the
 * statistics use on raw rows (stats.ts): requests by kind, errors on answers only, latency on answers.
 */
export class RollupTally {
  readonly #deltas = new Map<string, RollupDelta>();
  readonly #read;
  readonly #write;

  constructor(db: Database) {
    this.#read = db.prepare(
      `SELECT messages, requests, errors, tokens, max_ms AS maxMs, hist FROM rollups
       WHERE level = ? AND start = ? AND server = ? AND method = ?`,
    );
    this.#write = db.prepare(
      `INSERT OR REPLACE INTO rollups (level, start, server, method, messages, requests, errors, tokens, max_ms, hist)
       VALUES (@level, @start, @server, @method, @messages, @requests, @errors, @tokens, @maxMs, @hist)`,
    );
  }

  add(entry: RollupEntry, failed: boolean): void {
    const method = entry.method ?? '';
    for (const level of ROLLUP_LEVELS_MS) {
      const start = slotStart(entry.time, level);
      const key = `${level}\u0000${start}\u0000${entry.server}\u0000${method}`;
      let delta = this.#deltas.get(key);
      if (!delta) {
        delta = {
          level,
          start,
          server: entry.server,
          method,
          messages: 0,
          requests: 0,
          errors: 0,
          tokens: 0,
          maxMs: null,
          histogram: null,
        };
        this.#deltas.set(key, delta);
      }
      countRecord(delta, entry.kind, failed, entry.tokens);
      if (entry.durationMs !== null) {
        delta.histogram ??= {};
        addToHistogram(delta.histogram, bucketOf(entry.durationMs));
        delta.maxMs = Math.max(delta.maxMs ?? entry.durationMs, entry.durationMs);
      }
    }
  }

  /** Writes what was added since the last flush; call inside the batch's transaction. */
  flush(): void {
    for (const delta of this.#deltas.values()) {
      const stored = this.#read.get(delta.level, delta.start, delta.server, delta.method) as
        | StoredRollup
        | undefined;
      const histogram: Histogram = stored ? (JSON.parse(stored.hist) as Histogram) : {};
      if (delta.histogram) mergeHistogram(histogram, delta.histogram);
      const maxes = [stored?.maxMs, delta.maxMs].filter((m): m is number => typeof m === 'number');
      this.#write.run({
        level: delta.level,
        start: delta.start,
        server: delta.server,
        method: delta.method,
        messages: (stored?.messages ?? 0) + delta.messages,
        requests: (stored?.requests ?? 0) + delta.requests,
        errors: (stored?.errors ?? 0) + delta.errors,
        tokens: (stored?.tokens ?? 0) + delta.tokens,
        maxMs: maxes.length > 0 ? Math.max(...maxes) : null,
        hist: JSON.stringify(histogram),
      });
    }
    this.#deltas.clear();
  }
}
