/**
 * Autocomplete for the filter language: what to offer at the cursor, and how to apply a choice. The
 * language is `field<op>value` terms separated by spaces (AND), with `-` for negation and free text for
 * full-text search; values with spaces are quoted.
 */

export interface FieldInfo {
  name: string;
  help: string;
  /** Known values (servers, methods, ...) to offer after `field:`. */
  values?: readonly string[];
}

export interface Suggestion {
  /** What the term becomes. */
  insert: string;
  label: string;
  detail: string;
}

export interface CurrentTerm {
  start: number;
  end: number;
  negated: boolean;
  field: string | null;
  operator: string | null;
  partial: string;
}

const OPERATORS = ['>=', '<=', '!=', ':', '=', '>', '<', '~'];

/** The term the cursor is in: from the previous unquoted space to the cursor. */
export function termAt(text: string, cursor: number): CurrentTerm {
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < cursor; i++) {
    if (text[i] === '"') inQuote = !inQuote;
    else if (text[i] === ' ' && !inQuote) start = i + 1;
  }
  let end = cursor;
  while (end < text.length && text[end] !== ' ') end++;
  let term = text.slice(start, cursor);
  const negated = term.startsWith('-') || term.startsWith('!');
  if (negated) term = term.slice(1);
  for (const operator of OPERATORS) {
    const index = term.indexOf(operator);
    if (index > 0 && /^[a-z_]+$/i.test(term.slice(0, index))) {
      return {
        start,
        end,
        negated,
        field: term.slice(0, index),
        operator,
        partial: term.slice(index + operator.length).replace(/^"/, ''),
      };
    }
  }
  return { start, end, negated, field: null, operator: null, partial: term };
}

function quoteIfNeeded(value: string): string {
  return /[\s"]/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
}

export function suggest(text: string, cursor: number, fields: readonly FieldInfo[], limit = 8): Suggestion[] {
  const term = termAt(text, cursor);
  const prefix = term.negated ? '-' : '';
  if (term.field !== null && term.operator !== null) {
    const field = fields.find((f) => f.name === term.field);
    const partial = term.partial.toLowerCase();
    return (field?.values ?? [])
      .filter((value) => value.toLowerCase().includes(partial) && value !== term.partial)
      .sort(
        (a, b) => Number(!a.toLowerCase().startsWith(partial)) - Number(!b.toLowerCase().startsWith(partial)),
      )
      .slice(0, limit)
      .map((value) => ({
        insert: `${prefix}${term.field}${term.operator}${quoteIfNeeded(value)}`,
        label: value,
        detail: field?.name ?? '',
      }));
  }
  const partial = term.partial.toLowerCase();
  if (partial === '' && cursor > 0 && text[cursor - 1] !== ' ') return [];
  return fields
    .filter((field) => field.name.startsWith(partial))
    .slice(0, limit)
    .map((field) => ({ insert: `${prefix}${field.name}:`, label: `${field.name}:`, detail: field.help }));
}

/** The text after choosing `suggestion`, and where the cursor goes. */
export function applySuggestion(
  text: string,
  cursor: number,
  suggestion: Suggestion,
): { text: string; cursor: number } {
  const term = termAt(text, cursor);
  const before = text.slice(0, term.start);
  const after = text.slice(term.end);
  const completesValue = !suggestion.insert.endsWith(':');
  const inserted = completesValue && !after.startsWith(' ') ? `${suggestion.insert} ` : suggestion.insert;
  return { text: `${before}${inserted}${after}`, cursor: before.length + inserted.length };
}
