import { describe, expect, it } from 'vitest';
import { listenForRecords, type RecordsCommitted } from '../../../src/store/postgres/live.js';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../../../src/store/postgres/migrations.js';
import { PostgresRecordWriter } from '../../../src/store/postgres/writer.js';
import { SqliteRecordSink } from '../../../src/store/record-writer.js';
import { makeRecord, openTestStore } from '../../helpers/records.js';
import {
  captureScenario,
  eventually,
  pgRecords,
  pgTotals,
  postgresForFile,
  sqliteRecords,
  sqliteTotals,
} from './write-support.js';

const databases = postgresForFile();

describe('the PostgreSQL writer', () => {
  it('stores capture batches as SQLite does: the same records, links, sessions and totals', async () => {
    const { pool } = await databases.migrated();
    const writer = new PostgresRecordWriter({ pool, instance: 'gw-a' });
    captureScenario(writer);
    await writer.flush();
    expect(writer.stats()).toMatchObject({ written: 5, dropped: 0, lost: 0, queued: 0 });

    const sqlite = openTestStore();
    try {
      captureScenario(new SqliteRecordSink(sqlite.db));
      const expected = sqliteRecords(sqlite.db).map((record) => ({
        ...record,
        // PostgreSQL text cannot hold U+0000; the writer stores the replacement character instead.
        message: record.message.replaceAll('\u0000', '\uFFFD'),
        instance: 'gw-a',
      }));
      const stored = await pgRecords(pool);
      expect(stored).toEqual(expected);
      // The links went from capture's numbers to ids: the answer points at its request, by id.
      const [initialize, answer, call, error] = stored;
      expect(answer?.partnerId).toBe(initialize?.id);
      expect(error).toMatchObject({ partnerId: call?.id, linkedId: call?.id });
      // Completed in a later batch: the stored request learned its HTTP status and server name.
      expect(call).toMatchObject({ httpStatus: 500, serverName: 'everything' });
      expect(await pgTotals(pool)).toEqual(sqliteTotals(sqlite.db));
      expect((await pgTotals(pool)).sessions).toEqual([
        expect.objectContaining({ session_id: 'sess-1', messages: 3, errors: 2, server_name: 'everything' }),
      ]);
    } finally {
      sqlite.close();
    }
  });

  it('counts a batch the database refuses as lost, says why, and goes on with the next', async () => {
    const { pool } = await databases.migrated();
    const problems: string[] = [];
    const writer = new PostgresRecordWriter({ pool, instance: 'gw', problem: (m) => problems.push(m) });
    let refused = 0;
    writer.batch(() => writer.insert(makeRecord({ time: 1 })));
    await writer.flush();
    // An HTTP status beyond PostgreSQL's integer: retrying would fail the same way.
    writer.batch(() => {
      refused = writer.insert(makeRecord({ time: 2, httpStatus: 2 ** 40 }));
    });
    const written = await new Promise<{ lost: number; error: string | null }>((resolve) =>
      writer.sync(resolve),
    );
    expect(written).toEqual({ lost: 1, error: expect.stringMatching(/out of range/) });
    writer.batch(() => writer.insert(makeRecord({ time: 3, kind: 'response', partnerId: refused })));
    await writer.flush();
    expect(writer.stats()).toMatchObject({ written: 2, lost: 1, dropped: 0 });
    expect(problems).toEqual([
      expect.stringMatching(/^the PostgreSQL store refused 1 records: .*out of range/),
    ]);
    const stored = await pgRecords(pool);
    expect(stored.map((r) => [r.time, r.partnerId])).toEqual([
      [1, null],
      [3, null],
    ]);
  });

  it('announces each commit to LISTENing clients with its instance and id range', async () => {
    const { pool, url } = await databases.migrated();
    const heard: RecordsCommitted[] = [];
    const stop = await listenForRecords(url, (commit) => heard.push(commit));
    try {
      const writer = new PostgresRecordWriter({ pool, instance: 'gateway one' });
      captureScenario(writer);
      await writer.flush();
      const ids = (await pgRecords(pool)).map((record) => record.id);
      await eventually(() => {
        expect(heard.length).toBeGreaterThan(0);
        expect(heard.every((commit) => commit.instance === 'gateway one')).toBe(true);
        expect(Math.min(...heard.map((c) => c.firstId))).toBe(ids[0]);
        expect(Math.max(...heard.map((c) => c.lastId))).toBe(ids[ids.length - 1]);
      });
    } finally {
      await stop();
    }
  });

  it('two gateways writing at once lose and duplicate nothing, and each row names its gateway', async () => {
    const { url } = await databases.migrated();
    const writers = ['east', 'west'].map((instance) => {
      return new PostgresRecordWriter({ pool: databases.pool(url), instance });
    });
    const BATCHES = 40;
    for (let b = 0; b < BATCHES; b++) {
      for (const writer of writers) captureScenario(writer, 1_700_000_000_000 + b * 100);
      // Let both writers' transactions overlap rather than run one after the other.
      if (b % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writers.map((writer) => writer.flush()));
    for (const writer of writers)
      expect(writer.stats()).toMatchObject({ written: BATCHES * 5, dropped: 0, lost: 0 });
    const pool = databases.pool(url);
    const stored = await pgRecords(pool);
    expect(stored).toHaveLength(2 * BATCHES * 5);
    expect(new Set(stored.map((r) => r.id)).size).toBe(stored.length);
    for (const instance of ['east', 'west']) {
      const own = stored.filter((r) => r.instance === instance);
      expect(own).toHaveLength(BATCHES * 5);
      // Every answer links to its own gateway's request, never the other's.
      const byId = new Map(own.map((r) => [r.id, r]));
      for (const answer of own.filter((r) => r.partnerId !== null))
        expect(byId.get(answer.partnerId as number)).toBeDefined();
    }
    const { sessions, methods } = await pgTotals(pool);
    expect(sessions).toEqual([
      expect.objectContaining({ session_id: 'sess-1', messages: 2 * BATCHES * 3, errors: 2 * BATCHES * 2 }),
    ]);
    expect(methods.find((m) => m.method === 'tools/call')).toMatchObject({
      messages: 4 * BATCHES,
      requests: 2 * BATCHES,
    });
  });
});

describe('PostgreSQL migrations', () => {
  it('run by two gateways at once: one migrates, the other finds it done', async () => {
    const url = await databases.create();
    const [a, b] = [databases.pool(url), databases.pool(url)];
    const versions = await Promise.all([migratePostgres(a), migratePostgres(b)]);
    expect(versions).toEqual([POSTGRES_MIGRATIONS.length, POSTGRES_MIGRATIONS.length]);
    const { rows } = await a.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
  });

  it('refuse a store written by a newer gateway, saying what to do', async () => {
    const { pool } = await databases.migrated();
    await pool.query('INSERT INTO schema_migrations (version) VALUES ($1)', [POSTGRES_MIGRATIONS.length + 5]);
    await expect(migratePostgres(pool)).rejects.toThrow(
      /written by a newer MCP Gateway.*upgrade mcp-gateway or use another --store/,
    );
  });
});
