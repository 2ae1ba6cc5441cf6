import type { FieldTerm } from '../filter/ast.js';
import type { SqlFragment } from '../filter/field-kinds.js';
import { compileFilter } from '../filter/sql.js';
import { resolveTime, type TimeSpec } from '../filter/values.js';
import type { StatsQuery } from './log-store.js';
import { ROLLUP_LEVELS_MS } from './rollup-levels.js';

/** Fields a rollup row has: its slot's server and method. */
const ROLLUP_FIELDS = new Set(['server', 'method']);
const TIME_FIELDS = new Set(['after', 'before', 'last', 'time']);

/** Whole rollup slots of one size: those of `level` starting in [from, to), both on the level's grid. */
export interface RollupSpan {
  level: number;
  from: number;
  to: number;
}

/**
 * How a statistics query is answered from rollups: whole slots from the rollups table, the largest that
 * fit first (the middle of the window in the chart's slots, each edge in smaller ones), and what is left at
 * the window's edges, under the smallest slot, from the records themselves.
 */
export interface RollupPlan {
  spans: RollupSpan[];
  /** The time ranges [from, to) read from the records: the window outside every span. */
  records: [number, number][];
  /** The filter's server and method terms, compiled against `rollups r`. */
  where: SqlFragment | null;
}

function exactText(term: FieldTerm): boolean {
  return (
    (term.op === 'is' || term.op === '=' || term.op === '!=') &&
    term.raw.every((value) => value !== '' && !value.includes('*'))
  );
}

/** The time bounds a term puts on records, or null when it is not a plain bound. */
function timeBound(term: FieldTerm, now: number): { lower?: number; upper?: number } | null {
  if (term.negated || term.values.length !== 1) return null;
  const at = resolveTime(term.values[0] as TimeSpec, now);
  if (term.field === 'after' || term.field === 'last') return { lower: at };
  if (term.field === 'before') return { upper: at };
  if (term.op === '>' || term.op === '>=') return { lower: at };
  if (term.op === '<' || term.op === '<=') return { upper: at };
  return null;
}

/**
 * Null when the filter asks about something rollups do not keep (free text, a client, a status, a
 * wildcard) or the buckets are smaller than a minute: then the records are read, as before.
 */
export function planRollups(query: StatsQuery): RollupPlan | null {
  const chartLevel = [...ROLLUP_LEVELS_MS].reverse().find((size) => query.bucketMs % size === 0);
  if (chartLevel === undefined || query.from % chartLevel !== 0) return null;
  let lower = query.from;
  let upper = query.to;
  let lowerFromTerm = false;
  const kept: FieldTerm[] = [];
  for (const term of query.filter.terms) {
    if (term.type !== 'field') return null;
    if (TIME_FIELDS.has(term.field)) {
      const bound = timeBound(term, query.to);
      if (!bound) return null;
      if (bound.lower !== undefined && bound.lower >= lower) {
        lower = bound.lower;
        lowerFromTerm = true;
      }
      if (bound.upper !== undefined) upper = Math.min(upper, bound.upper);
    } else if (ROLLUP_FIELDS.has(term.field) && exactText(term)) {
      kept.push(term);
    } else {
      return null;
    }
  }
  // The first whole slot: a term's bound that falls on a slot's start may be exclusive (time>X), so that
  // slot is read from the records, where the filter decides; the window's own start is inclusive.
  const firstWhole = (level: number) =>
    lowerFromTerm ? (Math.floor(lower / level) + 1) * level : Math.ceil(lower / level) * level;
  const lastWhole = (level: number) => Math.floor(upper / level) * level;
  // Every smaller level divides the chart's, so a smaller slot lies inside one chart slot, and so inside one
  // chart bucket (the window starts on the chart's grid): each rollup row still falls in one bucket whole.
  const levels = ROLLUP_LEVELS_MS.filter((level) => level <= chartLevel).sort((a, b) => b - a);
  const spans: RollupSpan[] = [];
  let covered: { from: number; to: number } | null = null;
  for (const level of levels) {
    const from = firstWhole(level);
    const to = lastWhole(level);
    if (!covered) {
      if (from < to) {
        spans.push({ level, from, to });
        covered = { from, to };
      }
      continue;
    }
    if (from < covered.from) {
      spans.push({ level, from, to: covered.from });
      covered.from = from;
    }
    if (to > covered.to) {
      spans.push({ level, from: covered.to, to });
      covered.to = to;
    }
  }
  if (!covered) return null;
  const records = (
    [
      [query.from, covered.from],
      [covered.to, query.to],
    ] as [number, number][]
  ).filter(([from, to]) => to > from);
  return { spans, records, where: compileFilter({ terms: kept }, { now: query.to }).where };
}
