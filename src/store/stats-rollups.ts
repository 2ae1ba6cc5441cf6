import type { FieldTerm } from '../filter/ast.js';
import type { SqlFragment } from '../filter/field-kinds.js';
import { compileFilter } from '../filter/sql.js';
import { resolveTime, type TimeSpec } from '../filter/values.js';
import type { StatsQuery } from './log-store.js';
import { ROLLUP_LEVELS_MS } from './rollup-levels.js';

/** Fields a rollup row has: its slot's server and method. */
const ROLLUP_FIELDS = new Set(['server', 'method']);
const TIME_FIELDS = new Set(['after', 'before', 'last', 'time']);

/**
 * How a statistics query is answered from rollups: whole slots of `level` in [from, to) from the rollups
 * table, the partial slots at the window's edges from the records themselves.
 */
export interface RollupPlan {
  level: number;
  /** Rollup slots covered: [from, to), both on the level's grid. */
  from: number;
  to: number;
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
  const level = [...ROLLUP_LEVELS_MS].reverse().find((size) => query.bucketMs % size === 0);
  if (level === undefined || query.from % level !== 0) return null;
  let lower = query.from;
  let upper = query.to;
  const kept: FieldTerm[] = [];
  for (const term of query.filter.terms) {
    if (term.type !== 'field') return null;
    if (TIME_FIELDS.has(term.field)) {
      const bound = timeBound(term, query.to);
      if (!bound) return null;
      if (bound.lower !== undefined) lower = Math.max(lower, bound.lower);
      if (bound.upper !== undefined) upper = Math.min(upper, bound.upper);
    } else if (ROLLUP_FIELDS.has(term.field) && exactText(term)) {
      kept.push(term);
    } else {
      return null;
    }
  }
  // Whole slots strictly inside the bounds: a bound that falls on a slot's start may be exclusive
  // (time>X), so that slot is read from the records, where the filter decides.
  const from = (Math.floor(lower / level) + 1) * level;
  const to = Math.floor(upper / level) * level;
  if (to <= from) return null;
  return { level, from, to, where: compileFilter({ terms: kept }, { now: query.to }).where };
}
