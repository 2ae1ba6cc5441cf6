import { afterEach, describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/filter/parser.js';
import { asyncStore, SCAN_IDS } from '../../src/store/async-store.js';
import type { LogReads } from '../../src/store/log-reads.js';
import { ReaderPool } from '../../src/store/reader-pool.js';
import { statsWindow } from '../../src/store/stats-window.js';
import { makeRecord, openTestStore, type TestStore } from '../helpers/records.js';

const READS: (keyof LogReads)[] = [
  'list',
  'count',
  'get',
  'partnerOf',
  'stats',
  'sessions',
  'session',
  'timeline',
  'listText',
  'timelineText',
  'statsText',
  'recordText',
];

/** The reader pool, with the names of the reads that reached it. */
function counted(reads: LogReads): { reads: LogReads; asked: string[] } {
  const asked: string[] = [];
  const wrapped = Object.fromEntries(
    READS.map((name) => [
      name,
      (...args: unknown[]) => {
        asked.push(name);
        return (reads[name] as (...a: unknown[]) => unknown).apply(reads, args);
      },
    ]),
  );
  return { reads: wrapped as unknown as LogReads, asked };
}

describe('the async store over SQLite', () => {
  let t: TestStore;
  let pool: ReaderPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
    t.close();
  });

  it('answers every read as the synchronous store does, the heavy ones from the reader threads', async () => {
    t = openTestStore();
    const now = Date.now();
    const ids = t.write(
      Array.from({ length: 120 }, (_, i) =>
        makeRecord({
          time: now - i * 1000,
          server: i % 2 ? 'odd' : 'even',
          sessionId: `s${i % 3}`,
          summary: `call ${i}`,
        }),
      ),
    );
    pool = ReaderPool.start(t.path, { readers: 1 });
    const spy = counted(pool);
    const store = asyncStore(t.store, spy.reads);
    const filter = parseFilter('server:odd');
    const page = { filter, limit: 10, order: 'desc' as const };
    const stats = { filter, groupBy: 'server' as const, ...statsWindow(filter, now) };
    const first = t.store.get(ids[3] as number);
    if (!first) throw new Error('record 3 was not stored');

    expect(await store.list(page)).toEqual(t.store.list(page));
    expect(await store.count(filter)).toBe(60);
    expect(await store.get(ids[3] as number)).toEqual(first);
    expect(await store.stats(stats)).toEqual(t.store.stats(stats));
    expect(await store.sessions({ limit: 5 })).toEqual(t.store.sessions({ limit: 5 }));
    expect(await store.session('s1')).toEqual(t.store.session('s1'));
    expect(await store.timeline({ sessionId: 's1', limit: 5 })).toEqual(
      t.store.timeline({ sessionId: 's1', limit: 5 }),
    );
    expect(spy.asked).toEqual(['list', 'count', 'get', 'stats', 'sessions', 'session', 'timeline']);

    // Small summaries kept by triggers are answered on the calling thread.
    expect(await store.lastId()).toBe(ids[ids.length - 1]);
    expect(await store.serverTotals()).toEqual(t.store.serverTotals());
    expect(await store.methods()).toEqual(t.store.methods());
    expect(await store.clients()).toEqual(t.store.clients());
    expect(await store.values('servers', '', 10)).toEqual(['even', 'odd']);
    expect(spy.asked).toHaveLength(7);
  });

  it('walks a whole filter page by page as an async iterable, in either order', async () => {
    t = openTestStore();
    const ids = t.write(Array.from({ length: 1_234 }, (_, i) => makeRecord({ summary: `r${i}` })));
    const store = asyncStore(t.store);
    const walked: number[] = [];
    for await (const record of store.iterate(parseFilter(''), 'asc')) walked.push(record.id);
    expect(walked).toEqual(ids);
    const newestFirst: number[] = [];
    for await (const record of store.iterate(parseFilter('summary~r12'), 'desc')) newestFirst.push(record.id);
    // r12, r120..r129, r1200..r1233
    expect(newestFirst).toHaveLength(1 + 10 + 34);
    expect(newestFirst).toEqual([...newestFirst].sort((a, b) => b - a));
  });

  it('tails what was committed after a position, reading a slice of ids at a time', async () => {
    t = openTestStore();
    const [old] = t.write([makeRecord({ server: 'rare' })]);
    t.write(Array.from({ length: SCAN_IDS + 10 }, () => makeRecord({ server: 'busy' })));
    const [late] = t.write([makeRecord({ server: 'rare' })]);
    const store = asyncStore(t.store);
    const through = await store.lastId();
    const filter = parseFilter('server:rare');
    const after = (old as number) - 1;

    const first = await store.tail({ filter, after, through, limit: 10 });
    expect(first.records.map((r) => r.id)).toEqual([old]);
    // Nothing else matched in the slice: the next read starts where the slice ended, not at the match.
    expect(first.cursor).toBe(after + SCAN_IDS);
    const second = await store.tail({ filter, after: first.cursor, through, limit: 10 });
    expect(second.records.map((r) => r.id)).toEqual([late]);
    expect(second.cursor).toBe(through);
    expect(second.hasMore).toBe(false);
  });

  it('ends a tail page early on its byte budget and says so', async () => {
    t = openTestStore();
    const big = 'x'.repeat(100_000);
    const ids = t.write(Array.from({ length: 5 }, () => makeRecord({ message: big })));
    const store = asyncStore(t.store);
    const page = await store.tail({
      filter: parseFilter(''),
      after: 0,
      through: await store.lastId(),
      limit: 5,
      bodies: true,
      maxBytes: 250_000,
    });
    expect(page.records.length).toBeLessThan(5);
    expect(page.hasMore).toBe(true);
    expect(page.cursor).toBe(page.records[page.records.length - 1]?.id);
    expect(ids).toContain(page.cursor);
  });

  it('reports a failed read as a rejected promise, never as a throw its caller did not await', async () => {
    t = openTestStore();
    const store = asyncStore(t.store);
    t.db.close();
    const pending = [
      store.lastId(),
      store.serverTotals(),
      store.appendNote({ server: 's', text: 't', note: 'health' }),
    ];
    for (const answer of pending) await expect(answer).rejects.toThrow();
  });

  it('stores notes and deletes through the same contract', async () => {
    t = openTestStore();
    t.write([makeRecord({ server: 'a' }), makeRecord({ server: 'b' })]);
    const store = asyncStore(t.store);
    const note = await store.appendNote({ server: 'a', text: 'a is down', note: 'health' });
    expect((await store.get(note))?.server).toBe('a');
    expect(await store.deleteMatching(parseFilter('server:a'))).toBe(2);
    expect(await store.count(parseFilter(''))).toBe(1);
  });
});
