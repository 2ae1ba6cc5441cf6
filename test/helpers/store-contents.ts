import type { Database } from '../../src/store/database.js';

/** Everything capture writes: the records, their search index term by term, and the running totals. */
export function storeContents(db: Database) {
  db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING fts5vocab(main, records_fts, instance)');
  return {
    records: db.prepare('SELECT * FROM records ORDER BY id').all(),
    terms: db.prepare('SELECT * FROM temp.terms ORDER BY term, doc, offset').all(),
    // A session row's own id follows the order totals are written in (per record, or per batch).
    sessions: db
      .prepare('SELECT * FROM sessions ORDER BY server, session_id')
      .all()
      .map((row) => ({ ...(row as { server_name: string | null }), id: undefined })),
    // Summed per batch, so in another order: equal up to floating-point rounding.
    methods: db
      .prepare(
        'SELECT *, round(duration_total, 6) AS duration_total FROM method_totals ORDER BY server, method',
      )
      .all(),
    rollups: db.prepare('SELECT * FROM rollups ORDER BY level, start, server, method').all(),
  };
}
