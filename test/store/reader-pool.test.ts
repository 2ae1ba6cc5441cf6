import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type CapturedRecord, recordToJson, recordToSummaryJson } from '../../src/core/record.js';
import { parseFilter } from '../../src/filter/parser.js';
import { ReaderPool } from '../../src/store/reader-pool.js';
import { statsWindow } from '../../src/store/stats-window.js';
import { makeRecord, openTestStore, type TestStore } from '../helpers/records.js';

describe('reader threads', () => {
  let t: TestStore;
  let pool: ReaderPool | undefined;
  afterEach(async () => {
    await pool?.close();
    t.close();
  });

  it('answer pages, records, sessions and statistics as the store does', async () => {
    t = openTestStore();
    const now = Date.now();
    const ids = t.write(
      Array.from({ length: 300 }, (_, i) =>
        makeRecord({ time: now - i * 1000, server: i % 2 ? 'odd' : 'even', summary: `call ${i}` }),
      ),
    );
    pool = ReaderPool.start(t.path, { readers: 2 });
    const filter = parseFilter('server:odd');
    const query = { filter, limit: 20, order: 'desc' as const };
    expect(await pool.list(query)).toEqual(t.store.list(query));
    expect(await pool.get(ids[5] as number)).toEqual(t.store.get(ids[5] as number));
    expect(await pool.sessions({ limit: 10 })).toEqual(t.store.sessions({ limit: 10 }));
    const stats = { filter, groupBy: 'server' as const, ...statsWindow(filter, now) };
    expect(await pool.stats(stats)).toEqual(t.store.stats(stats));
  });

  it('answer pages, timelines and statistics as the very JSON the API sends', async () => {
    t = openTestStore();
    const now = Date.now();
    t.write(
      Array.from({ length: 50 }, (_, i) =>
        makeRecord({ time: now - i * 1000, sessionId: 's1', summary: `call ${i}`, message: `{"n":${i}}` }),
      ),
    );
    pool = ReaderPool.start(t.path, { readers: 1 });
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const query = { filter: parseFilter('call'), limit: 20, order: 'desc' as const };
    const page = t.store.list(query);
    const json = await pool.listText(query, 'json');
    expect(text(json.bytes)).toBe(JSON.stringify(page.records.map(recordToJson)));
    expect(json).toMatchObject({ count: 20, hasMore: true, nextCursor: page.nextCursor });
    const lines = await pool.listText({ ...query, bodies: false }, 'jsonl');
    expect(text(lines.bytes)).toBe(
      page.records.map((record) => `${JSON.stringify(recordToSummaryJson(record))}\n`).join(''),
    );
    const timeline = { sessionId: 's1', limit: 500, bodies: false };
    expect(text((await pool.timelineText(timeline)).bytes)).toBe(
      JSON.stringify(t.store.timeline(timeline).records.map(recordToSummaryJson)),
    );
    const record = page.records[3] as CapturedRecord;
    expect(text((await pool.recordText(record.id)) as Uint8Array)).toBe(
      JSON.stringify({ ...recordToJson(record), partner: null }),
    );
    expect(await pool.recordText(999_999)).toBeNull();
    const filter = parseFilter('');
    const stats = { filter, groupBy: 'method' as const, ...statsWindow(filter, now) };
    expect(JSON.parse(text(await pool.statsText(stats)))).toEqual(
      JSON.parse(JSON.stringify(t.store.stats(stats))),
    );
  });

  // A nice value is per thread on Linux: only the reader's own thread is lowered, the proxy's is not.
  it.runIf(process.platform === 'linux')(
    'read at the lowest priority, leaving the thread that proxies at its own',
    async () => {
      t = openTestStore();
      t.write([makeRecord({ summary: 'one' })]);
      const niceness = () =>
        readdirSync('/proc/self/task').map((task) => {
          const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
          // Fields after the command name (which may hold spaces): state is the 3rd field, nice the 19th.
          return { task: Number(task), nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) };
        });
      const before = niceness();
      const own = before.find(({ task }) => task === process.pid)?.nice;
      pool = ReaderPool.start(t.path, { readers: 1 });
      await pool.list({ filter: parseFilter(''), limit: 1, order: 'asc' });
      const after = niceness();
      const lowered =
        after.filter(({ nice }) => nice === 19).length - before.filter(({ nice }) => nice === 19).length;
      expect(lowered).toBe(1);
      expect(after.find(({ task }) => task === process.pid)?.nice).toBe(own);
    },
  );

  it('drop a queued read whose caller stopped waiting, and go on with the others', async () => {
    t = openTestStore();
    t.write(Array.from({ length: 2000 }, (_, i) => makeRecord({ summary: `call ${i}` })));
    pool = ReaderPool.start(t.path, { readers: 1 });
    const busy = pool.list({ filter: parseFilter('call'), limit: 1000, order: 'asc' });
    const controller = new AbortController();
    const abandoned = pool.list({ filter: parseFilter(''), limit: 10, order: 'asc' }, controller.signal);
    controller.abort();
    await expect(abandoned).rejects.toMatchObject({ name: 'AbortError' });
    expect((await busy).records).toHaveLength(1000);
    expect((await pool.list({ filter: parseFilter(''), limit: 1, order: 'asc' })).records).toHaveLength(1);
  });

  it('say why a read failed instead of hanging when the database cannot be read', async () => {
    t = openTestStore();
    pool = ReaderPool.start(`${t.path}.missing`, { readers: 1 });
    await expect(pool.list({ filter: parseFilter(''), limit: 1, order: 'asc' })).rejects.toThrow(
      /reader thread/,
    );
  });
});
