import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresRecordWriter } from '../../../src/store/postgres/writer.js';
import { type RecordSink, SqliteRecordSink } from '../../../src/store/record-writer.js';
import { makeRecord, openTestStore } from '../../helpers/records.js';
import { pgRecords, pgTotals, postgresForFile, sqliteRecords, sqliteTotals } from './write-support.js';

const databases = postgresForFile();

const TIME = 1_700_000_000_000;

/**
 * Capture in batches of `sizes` records, each too large to be written together with the next (the writer
 * joins queued batches up to 2,000 records), so the writer prepares each batch while the one before it is
 * written. Each batch but the first answers the requests of the batch before, completing them (an UPDATE
 * of a stored row, counted in the session's totals) and naming their server now and then.
 */
function chainedBatches(sink: RecordSink, sizes: readonly number[], server = 'alpha'): void {
  let previous: number[] = [];
  sizes.forEach((size, b) => {
    const requests: number[] = [];
    sink.batch(() => {
      for (let i = 0; i < size; i++) {
        const time = TIME + b * 10_000 + i;
        const request = previous[i];
        if (request !== undefined && i < size / 2) {
          sink.insert(
            makeRecord({
              time,
              server,
              direction: 'server_to_client',
              kind: 'response',
              method: 'tools/call',
              sessionId: 'sess-1',
              durationMs: 3,
              partnerId: request,
            }),
          );
          sink.completeRequest(request, i % 7 === 0 ? 500 : 200, 'sess-1');
          if (i % 100 === 0) sink.identify(request, 'everything', '1.0.0');
        } else {
          const record = makeRecord({
            time,
            server,
            method: 'tools/call',
            sessionId: null,
            httpStatus: null,
          });
          requests.push(sink.insert(record));
        }
      }
    });
    previous = requests;
  });
}

/** Records with their ids (and links) as ranks, 1, 2, 3, …: ids with gaps compare with SQLite's. */
function ranked<T extends { id: number; partnerId: number | null; linkedId: number | null }>(
  records: T[],
): T[] {
  const rank = new Map(records.map((record, i) => [record.id, i + 1]));
  const of = (id: number | null) => (id === null ? null : (rank.get(id) ?? -id));
  return records.map((r) => ({ ...r, id: of(r.id), partnerId: of(r.partnerId), linkedId: of(r.linkedId) }));
}

/** What SQLite's writer stores for the same capture: records (as PostgreSQL stores them) and totals. */
async function expectSameAsSqlite(pool: pg.Pool, capture: (sink: RecordSink) => void): Promise<void> {
  const sqlite = openTestStore();
  try {
    capture(new SqliteRecordSink(sqlite.db));
    const expected = sqliteRecords(sqlite.db).map((record) => ({ ...record, instance: 'gw' }));
    expect(ranked(await pgRecords(pool))).toEqual(ranked(expected));
    expect(await pgTotals(pool)).toEqual(sqliteTotals(sqlite.db));
  } finally {
    sqlite.close();
  }
}

/**
 * A pool whose `which`-th COMMIT commits but whose answer is lost, as when the connection breaks just
 * then: the writer sees an error it retries.
 */
function losingCommitAnswer(pool: pg.Pool, which: number): pg.Pool {
  let commits = 0;
  const patched = new WeakSet<pg.PoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      if (!patched.has(client)) {
        patched.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        (client as { query: unknown }).query = (...args: unknown[]) => {
          if (args[0] === 'COMMIT' && ++commits === which)
            return query('COMMIT').then(() => {
              throw new Error('Connection terminated unexpectedly');
            });
          return query(...args);
        };
      }
      return client;
    },
  } as unknown as pg.Pool;
}

describe('the PostgreSQL writer preparing a batch while the one before it is written', () => {
  it('stores records, links, completions and totals as SQLite does', async () => {
    const { pool } = await databases.migrated();
    // Ids with gaps, as when other gateways take ids in between: links come from the ids each batch took.
    await pool.query('ALTER SEQUENCE records_id_seq INCREMENT BY 2');
    const writer = new PostgresRecordWriter({ pool, instance: 'gw' });
    const sizes = [1, 1100, 1100, 1100, 1100, 300];
    chainedBatches(writer, sizes);
    await writer.flush();
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(writer.stats()).toMatchObject({ written: total, dropped: 0, lost: 0, queued: 0 });
    await expectSameAsSqlite(pool, (sink) => chainedBatches(sink, sizes));
    // Completed in the batch after theirs: their rows were updated, once each.
    const { rows } = await pool.query<{ status: number; n: number }>(
      `SELECT http_status AS status, count(*)::int AS n FROM records
       WHERE kind = 'request' AND session_id = 'sess-1' GROUP BY 1 ORDER BY 1`,
    );
    expect(rows.map((row) => row.status)).toEqual([200, 500]);
  }, 60_000);

  it('stores each record once when a commit succeeded but its answer was lost', async () => {
    const { pool } = await databases.migrated();
    const problems: string[] = [];
    // The second transaction's: the one written while the third batch was prepared.
    const writer = new PostgresRecordWriter({
      pool: losingCommitAnswer(pool, 2),
      instance: 'gw',
      problem: (message) => problems.push(message),
    });
    const sizes = [1, 1500, 600, 1500];
    chainedBatches(writer, sizes);
    await writer.flush();
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(writer.stats()).toMatchObject({ written: total, dropped: 0, lost: 0, lastError: null });
    expect(problems[0]).toMatch(/cannot write capture to the PostgreSQL store: Connection terminated/);
    expect(problems.at(-1)).toMatch(/answers again/);
    await expectSameAsSqlite(pool, (sink) => chainedBatches(sink, sizes));
  }, 60_000);

  it('links nothing to a batch the database refused, though the next was prepared with its ids', async () => {
    const { pool } = await databases.migrated();
    await pool.query(`
      CREATE FUNCTION refuse_server() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.server = 'refused' THEN RAISE EXCEPTION 'refused by the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_server BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION refuse_server();
    `);
    const problems: string[] = [];
    const writer = new PostgresRecordWriter({ pool, instance: 'gw', problem: (m) => problems.push(m) });
    let refused: number[] = [];
    writer.batch(() => writer.insert(makeRecord({ time: TIME })));
    writer.batch(() => {
      refused = Array.from({ length: 1500 }, (_, i) =>
        writer.insert(makeRecord({ time: TIME + 1 + i, server: 'refused', sessionId: null })),
      );
    });
    writer.batch(() => {
      for (let i = 0; i < 600; i++) {
        writer.insert(makeRecord({ time: TIME + 2000 + i, kind: 'response', partnerId: refused[i] }));
        writer.completeRequest(refused[i] as number, 500, 'sess-1');
      }
    });
    const written = await new Promise<{ lost: number; error: string | null }>((resolve) =>
      writer.sync(resolve),
    );
    expect(written).toEqual({ lost: 1500, error: expect.stringMatching(/refused by the test/) });
    expect(writer.stats()).toMatchObject({ written: 601, lost: 1500, dropped: 0 });
    expect(problems).toEqual([expect.stringMatching(/^the PostgreSQL store refused 1500 records: /)]);
    const stored = await pgRecords(pool);
    expect(stored).toHaveLength(601);
    expect(stored.filter((r) => r.partnerId !== null)).toEqual([]);
    // The answers were counted as they came, with no request to correct.
    const { methods } = await pgTotals(pool);
    expect(methods).toEqual([expect.objectContaining({ method: 'ping', messages: 601, requests: 1 })]);
  }, 60_000);
});
