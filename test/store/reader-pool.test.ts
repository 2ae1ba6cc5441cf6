import { afterEach, describe, expect, it } from 'vitest';
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
