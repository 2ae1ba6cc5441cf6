/**
 * The writer fills search_vector itself, in tsvector's binary form (postgres/insert-rows.ts), instead of
 * storing the tokens' text in search_text and having PostgreSQL parse it into the generated column: the
 * text was kept twice, and parsing it (tsvectorin) was about a fifth of the server's time per insert
 * (bench/capture-postgres.ts). DROP EXPRESSION keeps every stored vector as it is (PostgreSQL docs,
 * "ALTER TABLE"), so the rows written before stay searchable; search_text goes, without a table rewrite.
 * The vector is compressed with LZ4 like the other large values, where the server has it.
 */
export const SEARCH_VECTOR_COLUMN = `
  ALTER TABLE records ALTER COLUMN search_vector DROP EXPRESSION;
  ALTER TABLE records ALTER COLUMN search_vector SET DEFAULT ''::tsvector;
  ALTER TABLE records DROP COLUMN search_text;
  DO $$ BEGIN
    ALTER TABLE records ALTER COLUMN search_vector SET COMPRESSION lz4;
  EXCEPTION WHEN feature_not_supported THEN NULL;
  END $$;
`;
