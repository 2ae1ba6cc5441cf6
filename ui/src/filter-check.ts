import { FilterError } from '../../src/filter/errors.js';
import { parseFilter } from '../../src/filter/parser.js';
import type { FilterErrorJson } from './types';

/**
 * Reads a filter with the gateway's own parser (the same code the API runs, bundled into the UI), so the
 * filter bar can point at a mistake as the user types, without a request per keystroke.
 */
export function checkFilter(text: string): FilterErrorJson | null {
  try {
    parseFilter(text);
    return null;
  } catch (error) {
    if (error instanceof FilterError) return error.toJSON();
    throw error;
  }
}

/**
 * Whether a problem is only that the term at the cursor is not finished (`server:` before its value, a
 * quote not closed yet, `has:err` on the way to `has:error`): the cursor is at the end, right after the
 * last term, and the problem is in that term. The filter bar waits for Enter (or for the user to leave
 * the field) before calling that a mistake.
 */
export function stillTyping(text: string, cursor: number, problem: FilterErrorJson): boolean {
  if (cursor !== text.length || /\s$/.test(text)) return false;
  if (problem.error.startsWith('unterminated quote')) return true;
  const lastTerm = text.search(/\S+$/);
  return lastTerm >= 0 && problem.position >= lastTerm;
}

/** The filter text with a problem's suggestion put in place of the part it points at. */
export function applyFix(text: string, problem: FilterErrorJson): string {
  if (problem.suggestion === null) return text;
  return `${text.slice(0, problem.position)}${problem.suggestion}${text.slice(problem.position + problem.length)}`;
}

/** The filter with one more term, unless it already has it (for "filter on this" links). */
export function addTerm(filter: string, term: string): string {
  const trimmed = filter.trim();
  if (trimmed.split(/\s+/).includes(term)) return trimmed;
  return trimmed ? `${trimmed} ${term}` : term;
}

/** A value quoted for the filter language when it holds spaces, quotes or commas. */
export function filterValue(value: string): string {
  return /[\s",]/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
}
