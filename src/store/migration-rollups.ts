import type { Database } from 'better-sqlite3';
import { isErrorSql } from './failure.js';
import { bucketSql, emptyHistogram } from './latency-histogram.js';
import { ROLLUP_LEVELS_MS } from './rollup-levels.js';

/**
 * Migration 3: statistics rollups. Per time slot (1 min, 5 min, 1 h), server and method: messages,
 * requests, errors, tokens, the largest duration and a latency histogram (latency-histogram.ts), so that
 * charts over days read thousands of small rows instead of millions of records. The capture worker adds to
 * them once per batch (rollup-tally.ts); a trigger takes deleted records away, so retention, clear and
 * delete-by-filter keep them exact. Existing records are rolled up here, once.
 */
const SCHEMA = `
  CREATE TABLE rollups (
    level INTEGER NOT NULL,
    start INTEGER NOT NULL,
    server TEXT NOT NULL,
    method TEXT NOT NULL,
    messages INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    tokens INTEGER NOT NULL DEFAULT 0,
    max_ms REAL,
    hist TEXT NOT NULL,
    PRIMARY KEY (level, start, server, method)
  ) WITHOUT ROWID;
`;

function deleteTrigger(): string {
  const bucket = bucketSql('old.duration_ms');
  const path = `'$[' || ${bucket} || ']'`;
  const updates = ROLLUP_LEVELS_MS.map(
    (level) => `
    UPDATE rollups SET
      messages = max(messages - 1, 0),
      requests = max(requests - (old.kind = 'request'), 0),
      errors = max(errors - (old.kind != 'request' AND ${isErrorSql('old.')}), 0),
      tokens = max(tokens - coalesce(old.tokens, 0), 0),
      hist = CASE WHEN old.duration_ms IS NULL THEN hist
        ELSE json_replace(hist, ${path}, max(json_extract(hist, ${path}) - 1, 0)) END
      WHERE level = ${level} AND start = CAST(old.time / ${level} AS INTEGER) * ${level}
        AND server = old.server AND method = coalesce(old.method, '');`,
  );
  return `CREATE TRIGGER records_rollups_after_delete AFTER DELETE ON records BEGIN${updates.join('')}
  END;`;
}

interface SlotRow {
  start: number;
  server: string;
  method: string;
  messages: number;
  requests: number;
  errors: number;
  tokens: number;
  maxMs: number | null;
}

/** Rolls up every stored record; run once, when the table is made. */
export function backfillRollups(db: Database): void {
  const insert = db.prepare(
    `INSERT INTO rollups (level, start, server, method, messages, requests, errors, tokens, max_ms, hist)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const level of ROLLUP_LEVELS_MS) {
    const slot = `CAST(time / ${level} AS INTEGER) * ${level}`;
    const histograms = new Map<string, number[]>();
    const buckets = db.prepare(
      `SELECT ${slot} AS start, server, coalesce(method, '') AS method, ${bucketSql('duration_ms')} AS bucket,
         count(*) AS n
       FROM records WHERE duration_ms IS NOT NULL GROUP BY 1, 2, 3, 4`,
    );
    for (const row of buckets.iterate() as IterableIterator<{
      start: number;
      server: string;
      method: string;
      bucket: number;
      n: number;
    }>) {
      const key = `${row.start}\u0000${row.server}\u0000${row.method}`;
      let histogram = histograms.get(key);
      if (!histogram) {
        histogram = emptyHistogram();
        histograms.set(key, histogram);
      }
      histogram[row.bucket] = row.n;
    }
    const slots = db.prepare(
      `SELECT ${slot} AS start, server, coalesce(method, '') AS method, count(*) AS messages,
         sum(kind = 'request') AS requests, sum(kind != 'request' AND ${isErrorSql()}) AS errors,
         coalesce(sum(tokens), 0) AS tokens, max(duration_ms) AS maxMs
       FROM records GROUP BY 1, 2, 3`,
    );
    // Read whole before writing: better-sqlite3 cannot write while a read is stepping.
    for (const row of slots.all() as SlotRow[]) {
      const histogram =
        histograms.get(`${row.start}\u0000${row.server}\u0000${row.method}`) ?? emptyHistogram();
      insert.run(
        level,
        row.start,
        row.server,
        row.method,
        row.messages,
        row.requests,
        row.errors,
        row.tokens,
        row.maxMs,
        JSON.stringify(histogram),
      );
    }
  }
}

export function rollupsMigration(db: Database): void {
  db.exec(SCHEMA);
  db.exec(deleteTrigger());
  backfillRollups(db);
}
