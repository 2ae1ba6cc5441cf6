/**
 * Records are kept whole in their row up to a page (toast_tuple_target, PostgreSQL docs, "CREATE TABLE",
 * Storage Parameters) instead of compressing and moving their message and search vector to the TOAST
 * table once a row passes 2 kB: a captured message with its tokens is typically 2-3 kB, and the
 * compression and the second table's inserts were about 8% of the server's time per insert
 * (bench/capture-postgres.ts, perf). The store grew 5% for the benchmark's traffic (63 to 66 MB, its
 * indexes included); larger rows are still compressed and moved out. A server with smaller pages keeps
 * its default.
 */
export const RECORDS_STORAGE = `
  DO $$ BEGIN
    ALTER TABLE records SET (toast_tuple_target = 8160);
  EXCEPTION WHEN invalid_parameter_value THEN NULL;
  END $$;
`;
