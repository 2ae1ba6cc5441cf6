/**
 * Migrations the read side needs, applied after SCHEMA_V1 in order (migrations.ts numbers them 2, 3, ...).
 * Never edit one that has shipped: append a new one.
 */
export const READ_MIGRATIONS: readonly string[] = [
  // Free text. Chosen by measurement over tsvector/GIN (see filter-sql.ts `freeText` for the figures): a
  // trigram index answers `ILIKE '%word%'` and regular expressions, so one index serves a search for any
  // characters, and a regular expression over the same text then keeps FTS5's token semantics exactly;
  // PostgreSQL's text-search parser would split "tools/call" or "a.b@c.d" differently from SQLite's FTS5.
  `
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  -- search_text is stored folded (postgres/search-text.ts), so the index is on the column itself.
  CREATE INDEX records_search_trgm ON records USING gin (search_text gin_trgm_ops);
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
];
