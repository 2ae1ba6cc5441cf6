/**
 * Migrations the read side needs, applied after SCHEMA_V1 in order (migrations.ts numbers them 2, 3, ...).
 * Never edit one that has shipped: append a new one.
 */
export const READ_MIGRATIONS: readonly string[] = [
  // Free text: a tsvector of the search text's tokens (postgres/search-text.ts), kept in a stored column so
  // that a page walked newest first checks a row without parsing its text again, and a GIN index over it
  // for rare words. Chosen by measurement over pg_trgm (see filter-sql.ts `freeText`).
  `
  ALTER TABLE records ADD COLUMN search_vector TSVECTOR
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
  CREATE INDEX records_search ON records USING gin (search_vector);
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
