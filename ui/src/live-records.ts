import type { RecordSummary } from './types';

/**
 * The newest records of the traffic view as they arrive from the live feed, newest first. While paused,
 * arrivals are held (and counted) instead of shown, so the rows under the user's eyes stay still.
 */
export interface LiveRecords {
  shown: RecordSummary[];
  held: RecordSummary[];
  paused: boolean;
  /** More arrived while paused than is held: on resume the view reloads instead of showing a gap. */
  overflowed: boolean;
}

export type LiveAction =
  | { type: 'receive'; records: readonly RecordSummary[] }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'reset' };

/** Rows kept from the live feed: past this, the oldest live rows are dropped from view. */
export const MAX_SHOWN = 20_000;
/** Rows held while paused. */
export const MAX_HELD = 5_000;

export const EMPTY_LIVE: LiveRecords = { shown: [], held: [], paused: false, overflowed: false };

/** The feed sends oldest first; the view lists newest first. */
function newestFirst(records: readonly RecordSummary[]): RecordSummary[] {
  return [...records].reverse();
}

export function liveReducer(state: LiveRecords, action: LiveAction): LiveRecords {
  switch (action.type) {
    case 'receive': {
      if (action.records.length === 0) return state;
      if (state.paused) {
        const held = [...newestFirst(action.records), ...state.held];
        const overflowed = state.overflowed || held.length > MAX_HELD;
        return { ...state, held: held.slice(0, MAX_HELD), overflowed };
      }
      return { ...state, shown: [...newestFirst(action.records), ...state.shown].slice(0, MAX_SHOWN) };
    }
    case 'pause':
      return { ...state, paused: true };
    case 'resume':
      // Too much arrived to hold: the view starts again from the newest page instead.
      if (state.overflowed) return EMPTY_LIVE;
      return {
        shown: [...state.held, ...state.shown].slice(0, MAX_SHOWN),
        held: [],
        paused: false,
        overflowed: false,
      };
    case 'reset':
      return { ...EMPTY_LIVE, paused: state.paused };
  }
}

/** Live rows above the pages loaded from the API, without repeats (a reconnect can resend a record). */
export function mergeRecords(
  live: readonly RecordSummary[],
  pages: readonly (readonly RecordSummary[])[],
): RecordSummary[] {
  const seen = new Set<number>();
  const out: RecordSummary[] = [];
  for (const list of [live, ...pages]) {
    for (const record of list) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      out.push(record);
    }
  }
  return out;
}

/** The newest record id already loaded, where the live feed should continue from. */
export function newestId(pages: readonly (readonly RecordSummary[])[]): number {
  return pages[0]?.[0]?.id ?? 0;
}
