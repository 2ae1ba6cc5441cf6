import type { RecordSummary } from './types';

/**
 * A session's timeline laid out for reading: one row per record in order, a gap row wherever nothing
 * happened for a while, and each request joined to its answer by a bracket in a gutter. Row heights are
 * fixed, so the brackets can be drawn from row positions alone. Pure: tested without a browser.
 */

export const RECORD_ROW = 28;
export const GAP_ROW = 22;
/** Quiet stretches get a gap row from this long in short sessions... */
export const MIN_GAP_MS = 1000;
/** ...and from a tenth of the session in longer ones, but always from this long. */
export const ALWAYS_GAP_MS = 10_000;
/** Brackets nest into at most this many columns; deeper ones share the last. */
export const MAX_LANES = 5;

export type TimelineRow =
  | { type: 'record'; record: RecordSummary; offsetMs: number; top: number }
  | { type: 'gap'; ms: number; top: number };

export interface Bracket {
  requestId: number;
  responseId: number;
  /** Vertical centre of the request's row and of its answer's. */
  from: number;
  to: number;
  lane: number;
  failed: boolean;
  durationMs: number | null;
}

export interface Timeline {
  rows: TimelineRow[];
  /** Each record's row index, to scroll to a record. */
  rowOf: Map<number, number>;
  brackets: Bracket[];
  lanes: number;
  height: number;
  start: number;
  end: number;
  /** The longest request-to-answer time, to scale duration bars. */
  maxDurationMs: number;
}

export function isFailed(record: RecordSummary): boolean {
  return record.kind === 'error' || record.error !== null || (record.http.status ?? 0) >= 400;
}

/** How long a quiet stretch must be to get a gap row: noticeable for the session's pace. */
export function gapThreshold(spanMs: number): number {
  return Math.max(MIN_GAP_MS, Math.min(spanMs / 10, ALWAYS_GAP_MS));
}

export function buildTimeline(records: readonly RecordSummary[]): Timeline {
  const start = records[0]?.timestamp ?? 0;
  const end = records[records.length - 1]?.timestamp ?? start;
  const threshold = gapThreshold(end - start);
  const rows: TimelineRow[] = [];
  const centre = new Map<number, number>();
  const rowOf = new Map<number, number>();
  let top = 0;
  let previous: number | null = null;
  for (const record of records) {
    if (previous !== null && record.timestamp - previous >= threshold) {
      rows.push({ type: 'gap', ms: record.timestamp - previous, top });
      top += GAP_ROW;
    }
    rowOf.set(record.id, rows.length);
    rows.push({ type: 'record', record, offsetMs: record.timestamp - start, top });
    centre.set(record.id, top + RECORD_ROW / 2);
    top += RECORD_ROW;
    previous = record.timestamp;
  }
  const brackets = bracketsOf(records, centre);
  const maxDurationMs = records.reduce((max, r) => Math.max(max, r.durationMs ?? 0), 0);
  return {
    rows,
    rowOf,
    brackets,
    lanes: brackets.reduce((n, b) => Math.max(n, b.lane + 1), 0),
    height: top,
    start,
    end,
    maxDurationMs,
  };
}

/** Pairs shown on this page (answers point at their request with partnerId), in nested lanes. */
function bracketsOf(records: readonly RecordSummary[], centre: Map<number, number>): Bracket[] {
  const pairs: Omit<Bracket, 'lane'>[] = [];
  for (const record of records) {
    if (record.partnerId === null || record.kind === 'request') continue;
    const from = centre.get(record.partnerId);
    const to = centre.get(record.id);
    if (from === undefined || to === undefined) continue;
    pairs.push({
      requestId: record.partnerId,
      responseId: record.id,
      from,
      to,
      failed: isFailed(record),
      durationMs: record.durationMs,
    });
  }
  pairs.sort((a, b) => a.from - b.from);
  // Interval colouring: each bracket takes the first lane free at its start.
  const laneEnds: number[] = [];
  return pairs.map((pair) => {
    let lane = laneEnds.findIndex((laneEnd) => laneEnd < pair.from);
    if (lane === -1) lane = Math.min(laneEnds.length, MAX_LANES - 1);
    laneEnds[lane] = Math.max(laneEnds[lane] ?? 0, pair.to);
    return { ...pair, lane };
  });
}

/** The brackets that cross the band from `top` to `bottom` (the rows on screen): the only ones drawn. */
export function bracketsBetween(brackets: readonly Bracket[], top: number, bottom: number): Bracket[] {
  return brackets.filter((bracket) => bracket.from <= bottom && bracket.to >= top);
}
