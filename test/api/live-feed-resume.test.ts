import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/api/live-events.js';
import { LiveFeed, MAX_REPLAY } from '../../src/api/live-feed.js';
import { parseFilter } from '../../src/filter/parser.js';
import { asyncStore } from '../../src/store/async-store.js';
import { makeRecord, openTestStore, type TestStore } from '../helpers/records.js';

/** Subscribes and collects events until the feed has nothing more to send. */
async function collect(t: TestStore, filter: string, resumeFrom?: number): Promise<LiveEvent[]> {
  const feed = new LiveFeed(asyncStore(t.store));
  const events: LiveEvent[] = [];
  const subscriber = await feed.subscribe({
    filter: parseFilter(filter),
    filterText: filter,
    mode: 'summaries',
    resumeFrom,
    send: async (event) => {
      events.push(event);
    },
  });
  for (let i = 0; i < 200; i++) await feed.tick();
  await new Promise((resolve) => setTimeout(resolve, 10));
  subscriber.close();
  feed.close();
  return events;
}

const summaries = (events: LiveEvent[]) =>
  events.flatMap((e) => (e.type === 'records' ? e.records.map((r) => r.summary) : []));

describe('the live feed, resuming', () => {
  let t: TestStore;
  afterEach(() => t.close());

  it('replays a rare filter from any point, however many records lie between, without lagging', async () => {
    t = openTestStore();
    const [oldMatch] = t.write([makeRecord({ server: 'rare', summary: 'old match' })]);
    t.write(Array.from({ length: MAX_REPLAY + 2000 }, () => makeRecord({ server: 'busy' })));
    t.write([makeRecord({ server: 'rare', summary: 'new match' })]);
    t.write(Array.from({ length: 100 }, () => makeRecord({ server: 'busy' })));

    const events = await collect(t, 'server:rare', oldMatch);
    expect(events.some((e) => e.type === 'lagged')).toBe(false);
    expect(summaries(events)).toEqual(['new match']);
  });

  it('tells a client that resumes into a flood that it lagged, and goes on from the newest record', async () => {
    t = openTestStore();
    const ids = t.write(
      Array.from({ length: MAX_REPLAY + 1000 }, (_, i) => makeRecord({ summary: `r${i}` })),
    );
    const events = await collect(t, '', ids[0]);
    const lagged = events.find((e) => e.type === 'lagged');
    expect(lagged).toMatchObject({ lastId: ids.at(-1) });
    const replayed = summaries(events);
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed.length).toBeLessThanOrEqual(MAX_REPLAY);
    expect(replayed[0]).toBe('r1');
  });
});
