import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/api/live-events.js';
import { LiveFeed } from '../../src/api/live-feed.js';
import type { CapturedRecord } from '../../src/core/record.js';
import { parseFilter } from '../../src/filter/parser.js';
import { asyncStore } from '../../src/store/async-store.js';
import type { AsyncLogStore, TailQuery } from '../../src/store/log-store.js';
import { makeRecord, openTestStore } from '../helpers/records.js';

/**
 * A store with several writers, as a shared PostgreSQL store is: each writer takes its record id when it
 * starts a transaction, so a slow writer commits a lower id after a faster one's higher id. Positions
 * count commits; the feed follows them through `tail`.
 */
function severalWriters(): {
  store: Pick<AsyncLogStore, 'lastId' | 'tail'>;
  take(): number;
  commit(id: number, summary: string): void;
} {
  let nextId = 1;
  const committed: { position: number; record: CapturedRecord }[] = [];
  return {
    take: () => nextId++,
    commit(id, summary) {
      const record = { ...makeRecord({ summary }), id } as unknown as CapturedRecord;
      committed.push({ position: committed.length + 1, record });
    },
    store: {
      lastId: async () => committed.length,
      tail: async ({ after, through, limit }: TailQuery) => {
        const slice = committed.filter((c) => c.position > after && c.position <= through).slice(0, limit);
        const last = slice[slice.length - 1];
        const hasMore = last !== undefined && last.position < through && slice.length === limit;
        return {
          records: slice.map((c) => c.record),
          cursor: hasMore && last ? last.position : through,
          hasMore,
        };
      },
    },
  };
}

async function follow(feed: LiveFeed): Promise<{ events: LiveEvent[]; stop(): void }> {
  const events: LiveEvent[] = [];
  const subscriber = await feed.subscribe({
    filter: parseFilter(''),
    filterText: '',
    mode: 'summaries',
    send: async (event) => {
      events.push(event);
    },
  });
  return { events, stop: () => subscriber.close() };
}

const summaries = (events: LiveEvent[]) =>
  events.flatMap((e) => (e.type === 'records' ? e.records.map((r) => r.summary) : []));

describe('the live feed, with several writers', () => {
  it('sends a record committed after a newer id, instead of skipping it', async () => {
    const writers = severalWriters();
    const feed = new LiveFeed(writers.store);
    const { events, stop } = await follow(feed);
    const slow = writers.take();
    const fast = writers.take();
    writers.commit(fast, 'fast writer');
    await feed.tick();
    writers.commit(slow, 'slow writer');
    await feed.tick();
    await new Promise((resolve) => setTimeout(resolve, 10));
    stop();
    feed.close();
    expect(summaries(events)).toEqual(['fast writer', 'slow writer']);
  });

  it('on SQLite, sends new records once each, in id order, as before', async () => {
    const t = openTestStore();
    try {
      t.write([makeRecord({ summary: 'before' })]);
      const feed = new LiveFeed(asyncStore(t.store));
      const { events, stop } = await follow(feed);
      t.write([makeRecord({ summary: 'one' }), makeRecord({ summary: 'two' })]);
      await feed.tick();
      t.write([makeRecord({ summary: 'three' })]);
      await feed.tick();
      await feed.tick();
      await new Promise((resolve) => setTimeout(resolve, 10));
      stop();
      feed.close();
      expect(summaries(events)).toEqual(['one', 'two', 'three']);
      expect(events[0]).toMatchObject({ type: 'hello', lastId: 1 });
    } finally {
      t.close();
    }
  });
});
