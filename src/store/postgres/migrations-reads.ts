import { isErrorSql } from '../failure.js';
import { HISTOGRAM_BUCKETS } from '../latency-histogram.js';
import { ROLLUP_LEVELS_MS } from '../rollup-levels.js';

/**
 * Migrations the read side needs, applied after the tables and the write side's migrations, in order
 * (migrations.ts numbers them on from there).
 * Never edit one that has shipped: append a new one.
 */
export const READ_MIGRATIONS: readonly string[] = [
  // Free text: the search text's tokens (postgres/search-text.ts writes them as a tsvector literal) in a
  // stored tsvector column, so that a page walked newest first checks a row without reading its text
  // again, and a GIN index over it for rare words. Chosen by measurement over pg_trgm (filter-sql.ts).
  `
  ALTER TABLE records ADD COLUMN search_vector TSVECTOR
    GENERATED ALWAYS AS (search_text::tsvector) STORED;
  CREATE INDEX records_search ON records USING gin (search_vector);
  -- The planner guesses how common a word is from the most common lexemes ANALYZE keeps (ten times the
  -- column's statistics target, 100 by default): with too few, a word it has not seen looks common, and it walks
  -- the whole table newest first looking for 50 matches instead of asking the index (a search without a
  -- hit took 880 ms on 200,000 records).
  ALTER TABLE records ALTER COLUMN search_vector SET STATISTICS 1000;
  -- The tool a tools/call request names (filter field tool:), or NULL when the message is not valid JSON
  -- (truncated, or not JSON at all): a cast that fails must not fail the whole query.
  CREATE FUNCTION mcp_tool_name(message TEXT) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
  DECLARE
    name JSONB;
  BEGIN
    name := message::jsonb #> '{params,name}';
    IF jsonb_typeof(name) = 'string' THEN RETURN name #>> '{}'; END IF;
    RETURN NULL;
  EXCEPTION WHEN others THEN
    RETURN NULL;
  END $$;
  `,
  // Statistics rollups: per-slot totals and latency histograms at the sizes of ../rollup-levels.ts, kept
  // by statement-level triggers over each INSERT's and DELETE's rows (one grouped upsert per statement, so
  // a writer's batch of 500 costs a few statements, and every writing instance keeps them alike). A week
  // of statistics then reads a few thousand rollup rows instead of every record (postgres/stats.ts).
  `
  CREATE TABLE rollups (
    level INTEGER NOT NULL,
    start DOUBLE PRECISION NOT NULL,
    server TEXT NOT NULL,
    method TEXT NOT NULL,
    messages BIGINT NOT NULL DEFAULT 0,
    requests BIGINT NOT NULL DEFAULT 0,
    errors BIGINT NOT NULL DEFAULT 0,
    tokens BIGINT NOT NULL DEFAULT 0,
    max_ms DOUBLE PRECISION,
    PRIMARY KEY (level, start, server, method)
  );
  CREATE TABLE rollup_latency (
    level INTEGER NOT NULL,
    start DOUBLE PRECISION NOT NULL,
    server TEXT NOT NULL,
    method TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (level, start, server, method, bucket)
  );
  -- latency-histogram.ts bucketOf, in SQL.
  CREATE FUNCTION mcp_latency_bucket(ms DOUBLE PRECISION) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN ms < 1 THEN 0 ELSE least(${HISTOGRAM_BUCKETS - 1}, 1 + floor(8 * ln(ms) / ln(2))::integer) END
  $$;
  -- sign is 1 for inserted rows, -1 for deleted ones; the counting rules are stats.ts countRecord's.
  CREATE FUNCTION mcp_rollups_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    sign INTEGER := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
  BEGIN
    INSERT INTO rollups AS t (level, start, server, method, messages, requests, errors, tokens, max_ms)
    SELECT l.level, floor(c.time / l.level) * l.level, c.server, coalesce(c.method, ''),
      sign * count(*), sign * count(*) FILTER (WHERE c.kind = 'request'),
      sign * count(*) FILTER (WHERE c.kind <> 'request' AND ${isErrorSql('c.')}),
      sign * coalesce(sum(c.tokens), 0), CASE WHEN sign > 0 THEN max(c.duration_ms) END
    FROM changed c CROSS JOIN (VALUES ${ROLLUP_LEVELS_MS.map((l) => `(${l})`).join(', ')}) AS l(level)
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (level, start, server, method) DO UPDATE SET
      messages = t.messages + excluded.messages,
      requests = t.requests + excluded.requests,
      errors = t.errors + excluded.errors,
      tokens = t.tokens + excluded.tokens,
      max_ms = greatest(t.max_ms, excluded.max_ms);
    INSERT INTO rollup_latency AS t (level, start, server, method, bucket, count)
    SELECT l.level, floor(c.time / l.level) * l.level, c.server, coalesce(c.method, ''),
      mcp_latency_bucket(c.duration_ms), sign * count(*)
    FROM changed c CROSS JOIN (VALUES ${ROLLUP_LEVELS_MS.map((l) => `(${l})`).join(', ')}) AS l(level)
    WHERE c.duration_ms IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (level, start, server, method, bucket) DO UPDATE SET count = t.count + excluded.count;
    RETURN NULL;
  END $$;
  CREATE TRIGGER records_rollups_insert AFTER INSERT ON records REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION mcp_rollups_changed();
  CREATE TRIGGER records_rollups_delete AFTER DELETE ON records REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION mcp_rollups_changed();
  `,
];
