import { describe, expect, it } from 'vitest';
import { bracketsBetween, buildTimeline, GAP_ROW, MAX_LANES, RECORD_ROW } from '../../ui/src/timeline.js';
import { apiRecord } from './record-fixture.js';

const T = 1_700_000_000_000;

describe('session timeline layout', () => {
  it('puts records in order with their offset from the start, and a gap row for quiet stretches', () => {
    const timeline = buildTimeline([
      apiRecord({ id: 1, timestamp: T }),
      apiRecord({ id: 2, timestamp: T + 40 }),
      apiRecord({ id: 3, timestamp: T + 5_040 }),
    ]);
    expect(
      timeline.rows.map((row) =>
        row.type === 'gap' ? `gap ${row.ms}` : `#${row.record.id} +${row.offsetMs}`,
      ),
    ).toEqual(['#1 +0', '#2 +40', 'gap 5000', '#3 +5040']);
    expect(timeline.rows.map((row) => row.top)).toEqual([
      0,
      RECORD_ROW,
      2 * RECORD_ROW,
      2 * RECORD_ROW + GAP_ROW,
    ]);
    expect(timeline.height).toBe(3 * RECORD_ROW + GAP_ROW);
  });

  it('counts a gap relative to the session: a tenth of it, at least a second, and ten seconds always', () => {
    const gaps = (offsets: number[]) =>
      buildTimeline(offsets.map((offset) => apiRecord({ timestamp: T + offset })))
        .rows.filter((row) => row.type === 'gap')
        .map((row) => row.type === 'gap' && row.ms);
    expect(gaps([0, 900, 1900])).toEqual([1000]);
    expect(gaps([0, 5_000, 6_000, 60_000])).toEqual([54_000]);
    expect(gaps([0, 9_000, 20_000, 3_600_000])).toEqual([11_000, 3_580_000]);
  });

  it('joins each request to its answer, nesting overlapping pairs in lanes', () => {
    const records = [
      apiRecord({ id: 1, kind: 'request' }),
      apiRecord({ id: 2, kind: 'request' }),
      apiRecord({ id: 3, kind: 'response', partnerId: 2, durationMs: 5 }),
      apiRecord({
        id: 4,
        kind: 'error',
        partnerId: 1,
        durationMs: 20,
        error: { code: -32601, message: 'nope' },
      }),
      apiRecord({ id: 5, kind: 'request' }),
      apiRecord({ id: 6, kind: 'response', partnerId: 5, durationMs: 2 }),
    ];
    const timeline = buildTimeline(records);
    const centre = (index: number) => index * RECORD_ROW + RECORD_ROW / 2;
    expect(timeline.brackets).toEqual([
      { requestId: 1, responseId: 4, from: centre(0), to: centre(3), lane: 0, failed: true, durationMs: 20 },
      { requestId: 2, responseId: 3, from: centre(1), to: centre(2), lane: 1, failed: false, durationMs: 5 },
      { requestId: 5, responseId: 6, from: centre(4), to: centre(5), lane: 0, failed: false, durationMs: 2 },
    ]);
    expect(timeline.lanes).toBe(2);
    expect(timeline.maxDurationMs).toBe(20);
  });

  it('leaves out pairs whose request is on another page, and caps the nesting', () => {
    const requests = Array.from({ length: MAX_LANES + 2 }, (_, i) => apiRecord({ id: 100 + i }));
    const answers = requests.map((r, i) => apiRecord({ id: 200 + i, kind: 'response', partnerId: r.id }));
    const timeline = buildTimeline([
      ...requests,
      ...answers.reverse(),
      apiRecord({ kind: 'response', partnerId: 1 }),
    ]);
    expect(timeline.brackets).toHaveLength(MAX_LANES + 2);
    expect(timeline.lanes).toBe(MAX_LANES);
  });

  it("finds a record's row to scroll to, and draws only the brackets that cross the rows on screen", () => {
    const records = [
      apiRecord({ id: 1, kind: 'request', timestamp: T }),
      apiRecord({ id: 2, kind: 'request', timestamp: T + 1 }),
      apiRecord({ id: 3, kind: 'response', partnerId: 2, timestamp: T + 2 }),
      apiRecord({ id: 4, kind: 'notification', timestamp: T + 3 }),
      apiRecord({ id: 5, kind: 'response', partnerId: 1, timestamp: T + 60_000 }),
    ];
    const timeline = buildTimeline(records);
    // A gap row comes before the last record.
    expect([1, 4, 5].map((id) => timeline.rowOf.get(id))).toEqual([0, 3, 5]);
    const shown = (top: number, bottom: number) =>
      bracketsBetween(timeline.brackets, top, bottom).map((b) => b.responseId);
    // Rows 3 and 4 (the notification and the gap): only the long bracket passes through them.
    expect(shown(3 * RECORD_ROW, 3 * RECORD_ROW + RECORD_ROW + GAP_ROW)).toEqual([5]);
    expect(shown(0, 2 * RECORD_ROW)).toEqual([5, 3]);
  });
});
