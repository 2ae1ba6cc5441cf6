/**
 * Statistics rollups are kept at three sizes of time slot: a chart bucket is answered from the largest slot
 * that divides it (1 h buckets from hours, 15 min from 5 min slots, 1 min from minutes). Smaller buckets
 * (seconds) and the partial slots at a window's edges are read from the records themselves.
 */
export const ROLLUP_LEVELS_MS = [60_000, 300_000, 3_600_000] as const;

/** The start of the slot of `level` that `time` falls in. */
export function slotStart(time: number, level: number): number {
  return Math.floor(time / level) * level;
}
