import { describe, expect, it } from 'vitest';
import { EMPTY_LIVE, liveReducer, MAX_HELD, mergeRecords, newestId } from '../../ui/src/live-records.js';
import { apiRecord } from './record-fixture.js';

const ids = (records: { id: number }[]) => records.map((r) => r.id);

describe('live rows of the traffic view', () => {
  it('shows arrivals newest first, above what was there', () => {
    let state = liveReducer(EMPTY_LIVE, {
      type: 'receive',
      records: [apiRecord({ id: 10 }), apiRecord({ id: 11 })],
    });
    state = liveReducer(state, { type: 'receive', records: [apiRecord({ id: 12 })] });
    expect(ids(state.shown)).toEqual([12, 11, 10]);
  });

  it('holds and counts arrivals while paused, and shows them on resume', () => {
    let state = liveReducer(EMPTY_LIVE, { type: 'receive', records: [apiRecord({ id: 1 })] });
    state = liveReducer(state, { type: 'pause' });
    state = liveReducer(state, { type: 'receive', records: [apiRecord({ id: 2 }), apiRecord({ id: 3 })] });
    expect(ids(state.shown)).toEqual([1]);
    expect(state.held).toHaveLength(2);
    state = liveReducer(state, { type: 'resume' });
    expect(ids(state.shown)).toEqual([3, 2, 1]);
    expect(state).toMatchObject({ held: [], paused: false });
  });

  it('starts over instead of leaving a gap when more arrived while paused than it holds', () => {
    let state = liveReducer(EMPTY_LIVE, { type: 'pause' });
    const flood = Array.from({ length: MAX_HELD + 1 }, (_, i) => apiRecord({ id: 100 + i }));
    state = liveReducer(state, { type: 'receive', records: flood });
    expect(state.overflowed).toBe(true);
    expect(state.held).toHaveLength(MAX_HELD);
    expect(liveReducer(state, { type: 'resume' })).toEqual(EMPTY_LIVE);
  });

  it('merges live rows over loaded pages without repeating a record', () => {
    const pages = [[apiRecord({ id: 5 }), apiRecord({ id: 4 })], [apiRecord({ id: 3 })]];
    expect(ids(mergeRecords([apiRecord({ id: 6 }), apiRecord({ id: 5 })], pages))).toEqual([6, 5, 4, 3]);
    expect(newestId(pages)).toBe(5);
    expect(newestId([])).toBe(0);
  });
});
