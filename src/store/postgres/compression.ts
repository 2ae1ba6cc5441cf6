/**
 * Large values (messages, their search text, headers) are compressed with LZ4 rather than the default
 * pglz: the insert statement wrote the benchmark's capture batches about 15% faster with it (3150 against
 * 2680 rows/s on a busy 2-core machine, bench/capture-postgres.ts' traffic). A server built without LZ4 support keeps pglz (PostgreSQL docs, "default_toast_compression").
 */
export const LZ4_COMPRESSION = `
  DO $$ BEGIN
    ALTER TABLE records ALTER COLUMN message SET COMPRESSION lz4,
      ALTER COLUMN search_text SET COMPRESSION lz4,
      ALTER COLUMN request_headers SET COMPRESSION lz4,
      ALTER COLUMN response_headers SET COMPRESSION lz4;
  EXCEPTION WHEN feature_not_supported THEN NULL;
  END $$;
`;
