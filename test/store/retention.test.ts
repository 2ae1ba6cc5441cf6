import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Retention } from '../../src/store/retention.js';
import { makeRecord, openTestStore, type TestStore } from '../helpers/records.js';

const DAY = 86_400_000;

describe('retention', () => {
  let t: TestStore;
  beforeEach(() => {
    t = openTestStore();
  });
  afterEach(() => t.close());

  it('deletes records past the age limit, oldest first, and keeps the rest', async () => {
    const now = Date.now();
    t.write(Array.from({ length: 1200 }, (_, i) => makeRecord({ time: now - 10 * DAY + i })));
    t.write([makeRecord({ time: now - DAY, summary: 'recent' })]);
    const result = await new Retention(t.db, { days: 7, maxBytes: 0 }).run(now);
    expect(result).toEqual({ byAge: 1200, bySize: 0 });
    expect(
      t.store.list({ filter: { terms: [] }, limit: 10, order: 'asc' }).records.map((r) => r.summary),
    ).toEqual(['recent']);
    expect(t.store.session('session-1')).toEqual([expect.objectContaining({ messages: 1 })]);
  });

  it('deletes the oldest records when the data outgrows the size limit', async () => {
    const big = 'x'.repeat(2000);
    t.write(
      Array.from({ length: 2000 }, (_, i) =>
        makeRecord({
          time: i,
          message: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'ping', params: { big } }),
        }),
      ),
    );
    const retention = new Retention(t.db, { days: 0, maxBytes: 2 * 1024 * 1024 });
    const before = retention.usedBytes();
    expect(before).toBeGreaterThan(4 * 1024 * 1024);
    const result = await retention.run();
    expect(result.bySize).toBeGreaterThan(0);
    const left = t.store.list({ filter: { terms: [] }, limit: 1, order: 'asc' }).records[0];
    // Oldest first: what is left is the newest part.
    expect(left?.time).toBe(result.bySize);
    expect(retention.usedBytes()).toBeLessThan(before);
  });

  it('does nothing when both limits are off', async () => {
    t.write([makeRecord({ time: 0 })]);
    expect(await new Retention(t.db, { days: 0, maxBytes: 0 }).run()).toEqual({ byAge: 0, bySize: 0 });
  });
});
