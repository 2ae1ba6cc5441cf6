import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPool, openPool } from '../../../src/store/postgres/connection.js';
import { listenForRecords, type RecordsCommitted } from '../../../src/store/postgres/live.js';
import { migratePostgres } from '../../../src/store/postgres/migrations.js';
import { PostgresRecordWriter } from '../../../src/store/postgres/writer.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { makeRecord } from '../../helpers/records.js';
import { eventually, pgRecords } from './write-support.js';

let server: TestPostgres;
let pool: pg.Pool;
let url: string;

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase();
  pool = openPool(url);
  await migratePostgres(pool);
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

/** One capture batch: a request and its answer, about 10 KB. */
function exchange(writer: PostgresRecordWriter, n: number): void {
  writer.batch(() => {
    const request = writer.insert(
      makeRecord({ time: n, method: 'tools/call', message: `{"n":${n},"x":"${'q'.repeat(5000)}"}` }),
    );
    writer.insert(
      makeRecord({
        time: n + 1,
        kind: 'response',
        partnerId: request,
        message: `{"n":${n},"y":"${'r'.repeat(5000)}"}`,
      }),
    );
  });
}

describe('a PostgreSQL outage', () => {
  it('never blocks capture: batches wait within the bound, the rest are dropped and counted, writing resumes by itself', async () => {
    const problems: string[] = [];
    const writer = new PostgresRecordWriter({
      pool,
      instance: 'gw',
      maxQueuedBytes: 200_000,
      problem: (message) => problems.push(message),
    });
    exchange(writer, 0);
    await writer.flush();
    expect(writer.stats()).toMatchObject({ written: 2, dropped: 0 });

    await server.halt();
    const started = performance.now();
    for (let n = 1; n <= 100; n++) exchange(writer, n * 10);
    // The capture thread only queued: 100 batches in far less time than one connection attempt.
    expect(performance.now() - started).toBeLessThan(500);
    await eventually(() => {
      const stats = writer.stats();
      expect(stats.dropped).toBeGreaterThan(0);
      expect(stats.lastError).not.toBeNull();
    });
    const during = writer.stats();
    // What fits in the bound waits; everything else was dropped and counted, nothing went missing.
    expect(during.queuedBytes).toBeLessThanOrEqual(200_000);
    expect(during.queued + during.dropped).toBe(200);
    expect(problems[0]).toMatch(/cannot write capture to the PostgreSQL store: .*dropped and counted/);

    // The capture worker frees its own queue's budget on sync: it is not answered while batches wait.
    let synced: { lost: number; error: string | null } | null = null;
    writer.sync((written) => {
      synced = written;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(synced).toBeNull();

    await server.resume();
    await eventually(() => expect(writer.stats().queued).toBe(0), 30_000);
    // Answered once the waiting batches are written, with what was dropped meanwhile and why.
    await eventually(() =>
      expect(synced).toEqual({ lost: during.dropped, error: expect.stringMatching(/queue .* was full/) }),
    );
    exchange(writer, 5000);
    await writer.flush();
    const after = writer.stats();
    expect(after).toMatchObject({
      written: 2 + during.queued + 2,
      dropped: during.dropped,
      lost: 0,
      lastError: null,
    });
    expect(problems.at(-1)).toMatch(/answers again/);

    const stored = await pgRecords(pool);
    expect(stored).toHaveLength(after.written);
    // Links of the batches that waited point at their own requests; none points at a dropped record.
    const ids = new Set(stored.map((r) => r.id));
    const answers = stored.filter((r) => r.kind === 'response');
    for (const answer of answers) {
      expect(ids.has(answer.partnerId as number)).toBe(true);
      expect(stored.find((r) => r.id === answer.partnerId)?.time).toBe(answer.time - 1);
    }
    await writer.close();
  }, 60_000);

  it('links nothing to a dropped record: a later answer to it is stored without its link', async () => {
    const writer = new PostgresRecordWriter({ pool, instance: 'gw', maxQueuedBytes: 50_000 });
    await pool.query('TRUNCATE records');
    await server.halt();
    let kept = 0;
    let dropped = 0;
    writer.batch(() => {
      kept = writer.insert(makeRecord({ time: 1, method: 'tools/call' }));
    });
    writer.batch(() => {
      dropped = writer.insert(
        makeRecord({ time: 2, method: 'tools/call', message: `{"x":"${'d'.repeat(60_000)}"}` }),
      );
    });
    writer.batch(() => {
      writer.insert(makeRecord({ time: 3, kind: 'response', partnerId: kept }));
      writer.insert(makeRecord({ time: 4, kind: 'response', partnerId: dropped, linkedId: kept }));
      writer.completeRequest(dropped, 500, null);
    });
    await server.resume();
    await writer.flush();
    expect(writer.stats()).toMatchObject({ written: 3, dropped: 1, lost: 0 });
    const [request, answer, orphan] = await pgRecords(pool);
    expect(request?.time).toBe(1);
    expect(answer).toMatchObject({ time: 3, partnerId: request?.id });
    expect(orphan).toMatchObject({ time: 4, partnerId: null, linkedId: request?.id });
    await writer.close();
  }, 30_000);

  it('closing while PostgreSQL is down gives up within seconds, counting what was not written', async () => {
    const writer = new PostgresRecordWriter({ pool, instance: 'gw' });
    await server.halt();
    try {
      exchange(writer, 1);
      const started = performance.now();
      await writer.close();
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(writer.stats()).toMatchObject({ written: 0, dropped: 2, queued: 0 });
      // Capture after close is counted, not queued.
      exchange(writer, 2);
      expect(writer.stats()).toMatchObject({ dropped: 4, queued: 0 });
    } finally {
      await server.resume();
    }
  }, 30_000);

  it('a live feed listening for commits hears them again after a restart', async () => {
    const heard: RecordsCommitted[] = [];
    let reconnected = 0;
    const stop = await listenForRecords(url, (commit) => heard.push(commit), {
      onReconnected: () => reconnected++,
    });
    const writer = new PostgresRecordWriter({ pool, instance: 'after-restart' });
    try {
      await server.halt();
      await server.resume();
      await eventually(() => expect(reconnected).toBe(1), 20_000);
      exchange(writer, 7);
      await writer.flush();
      await eventually(() => expect(heard.map((c) => c.instance)).toEqual(['after-restart']));
    } finally {
      await writer.close();
      await stop();
    }
  }, 40_000);

  it('names the store, never its password, when it cannot be reached', async () => {
    await server.halt();
    try {
      const port = new URL(url).port;
      const secretUrl = `postgres://postgres:hunter2@127.0.0.1:${port}/gateway`;
      const unreachable = openPool(secretUrl);
      try {
        const error = await checkPool(unreachable, secretUrl).then(
          () => null,
          (e: Error) => e,
        );
        expect(error?.message).toMatch(
          new RegExp(
            `^cannot reach the PostgreSQL store at postgres://postgres@127\\.0\\.0\\.1:${port}/gateway: .+; check --store$`,
          ),
        );
        expect(error?.message).not.toContain('hunter2');
      } finally {
        await unreachable.end();
      }
    } finally {
      await server.resume();
    }
  }, 30_000);
});
